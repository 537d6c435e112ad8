import { createMockDirectory } from '@backstage/backend-test-utils';
import { mockContextFor } from '../../__testUtils__/runAction';
import { parse } from 'yaml';
import { createTmsIstioGenerateAction } from './createTmsIstioGenerateAction';
import { examples } from './createTmsIstioGenerateAction.examples';

describe('tms:istio:generate examples', () => {
  const workspace = createMockDirectory();
  const action = createTmsIstioGenerateAction();

  beforeEach(() => workspace.clear());

  it.each(examples.map(example => [example.description, example]))(
    '%s',
    async (_, example) => {
      const input = parse(example.example).steps[0].input;
      const ctx = mockContextFor(action, {
        workspacePath: workspace.path,
        input,
      });

      await action.handler(ctx);

      const targetPath = input.targetPath ?? 'istio';
      expect(ctx.output).toHaveBeenCalledWith('files', [
        `${targetPath}/virtual-service.yaml`,
        `${targetPath}/destination-rule.yaml`,
        `${targetPath}/peer-authentication.yaml`,
        `${targetPath}/authorization-policy.yaml`,
      ]);
    },
  );
});
