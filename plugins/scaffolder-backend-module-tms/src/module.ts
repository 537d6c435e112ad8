import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createTmsArgocdGenerateAction,
  createTmsCatalogAllocatePortAction,
  createTmsIstioGenerateAction,
  createTmsManifestsValidateAction,
  createTmsPublishLocalAction,
} from './actions';
import { PortAllocator } from './lib/ports/PortAllocator';
import { PortReservationStore } from './lib/ports/PortReservationStore';

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
        catalog: catalogServiceRef,
        database: coreServices.database,
      },
      async init({ scaffolder, config, catalog, database }) {
        const allocator = new PortAllocator(
          await PortReservationStore.create({ database }),
          {
            reservationHours: config.getOptionalNumber(
              'tms.scaffolder.portReservationHours',
            ),
          },
        );

        scaffolder.addActions(
          createTmsIstioGenerateAction(),
          createTmsArgocdGenerateAction(),
          createTmsManifestsValidateAction(),
          createTmsPublishLocalAction({ config }),
          createTmsCatalogAllocatePortAction({ catalog, allocator }),
        );
      },
    });
  },
});
