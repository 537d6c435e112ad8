import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleTms } from './module';

describe('scaffolderModuleTms', () => {
  it('adds the tms actions to the scaffolder', async () => {
    const actions: TemplateAction<any, any, any>[] = [];

    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...added: TemplateAction<any, any, any>[]) =>
              actions.push(...added),
          },
        ],
      ],
      features: [
        scaffolderModuleTms,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });

    expect(actions.map(action => action.id)).toEqual([
      'tms:istio:generate',
      'tms:argocd:generate',
      'tms:manifests:validate',
      'tms:publish:local',
      'tms:catalog:allocate-port',
    ]);
    expect(actions.every(action => action.supportsDryRun)).toBe(true);
  });
});
