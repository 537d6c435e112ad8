import { createMockDirectory } from '@backstage/backend-test-utils';
import { exampleInputs, runAction } from '../../__testUtils__/runAction';
import { createTmsIstioGenerateAction } from './createTmsIstioGenerateAction';
import { examples } from './createTmsIstioGenerateAction.examples';

describe('tms:istio:generate examples', () => {
  const workspace = createMockDirectory();
  const action = createTmsIstioGenerateAction();

  beforeEach(() => workspace.clear());

  it.each(exampleInputs(examples))('%s', async (_, input) => {
    const ctx = await runAction(action, {
      workspacePath: workspace.path,
      input,
    });

    const targetPath = input.targetPath ?? 'istio';
    expect(ctx.output).toHaveBeenCalledWith('files', [
      `${targetPath}/virtual-service.yaml`,
      `${targetPath}/destination-rule.yaml`,
      `${targetPath}/peer-authentication.yaml`,
      `${targetPath}/authorization-policy.yaml`,
    ]);
  });
});
