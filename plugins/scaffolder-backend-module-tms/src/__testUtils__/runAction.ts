import { JsonObject } from '@backstage/types';
import {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';

/** The mock context of an action, with its output as a jest mock. */
export type MockContext<TInput extends JsonObject> = ActionContext<
  TInput,
  any
> & { output: jest.Mock };

/**
 * A mock context for an action, with the raw input the scaffolder would
 * pass. Its type says defaults are filled in, which the scaffolder does
 * not do; the actions apply their defaults themselves, hence the cast.
 */
export function mockContextFor<TInput extends JsonObject>(
  _action: TemplateAction<TInput, any, any>,
  options: { workspacePath: string; input: JsonObject; isDryRun?: boolean },
): MockContext<TInput> {
  const ctx = createMockActionContext({
    workspacePath: options.workspacePath,
    input: options.input,
  });
  return {
    ...ctx,
    isDryRun: options.isDryRun,
  } as unknown as MockContext<TInput>;
}
