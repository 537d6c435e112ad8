import { JsonObject } from '@backstage/types';
import {
  ActionContext,
  TemplateAction,
  TemplateExample,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parse } from 'yaml';

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

/** Runs an action with a mock context and returns the context. */
export async function runAction<TInput extends JsonObject>(
  action: TemplateAction<TInput, any, any>,
  options: { workspacePath: string; input: JsonObject; isDryRun?: boolean },
): Promise<MockContext<TInput>> {
  const ctx = mockContextFor(action, options);
  await action.handler(ctx);
  return ctx;
}

/** Each example's description with the input of its one step. */
export function exampleInputs(
  examples: TemplateExample[],
): Array<[string, Record<string, any>]> {
  return examples.map(example => [
    example.description,
    parse(example.example).steps[0].input,
  ]);
}
