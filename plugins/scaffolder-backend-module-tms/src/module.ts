import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createTmsArgocdGenerateAction,
  createTmsIstioGenerateAction,
  createTmsManifestsValidateAction,
  createTmsPublishLocalAction,
} from './actions';

/**
 * Adds the `tms:*` actions to the scaffolder.
 *
 * @public
 */
export const scaffolderModuleTms = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'tms',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, config }) {
        scaffolder.addActions(
          createTmsIstioGenerateAction(),
          createTmsArgocdGenerateAction(),
          createTmsManifestsValidateAction(),
          createTmsPublishLocalAction({ config }),
        );
      },
    });
  },
});
