import { createMockDirectory } from '@backstage/backend-test-utils';
import { exampleInputs, runAction } from '../../__testUtils__/runAction';
import { createTmsIstioGenerateAction } from '../istio/createTmsIstioGenerateAction';
import { createTmsManifestsValidateAction } from './createTmsManifestsValidateAction';
import { examples } from './createTmsManifestsValidateAction.examples';

describe('tms:manifests:validate examples', () => {
  const workspace = createMockDirectory();
  const action = createTmsManifestsValidateAction();
  const istio = createTmsIstioGenerateAction();

  beforeEach(async () => {
    workspace.clear();
    // The examples validate what the earlier steps of a template wrote.
    await runAction(istio, {
      workspacePath: workspace.path,
      input: { service: 'shop', port: 8011, callers: ['api-gateway'] },
    });
    workspace.addContent({
      'k8s/service.yaml': `apiVersion: v1
kind: Service
metadata: { name: shop, namespace: tms }
spec: { selector: { app: shop }, ports: [{ port: 8011 }] }
`,
      'argocd/.keep.yaml': '',
    });
  });

  it.each(exampleInputs(examples))('%s', async (_, input) => {
    const ctx = await runAction(action, {
      workspacePath: workspace.path,
      input,
    });

    expect(ctx.output).toHaveBeenCalledWith(
      'documents',
      input.paths.length === 2 ? 2 : 5,
    );
  });
});
