import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readZeroTrustConfig } from './config';
import { DatabaseZeroTrustStore } from './database/DatabaseZeroTrustStore';
import { createEngine } from './engine';
import { zeroTrustPermissions } from './permissions';
import { createRouter } from './router';

/**
 * The TMS zero-trust engine: policies, decisions with explanations, risk
 * scoring, threat detection and blocking, sessions and the audit log.
 *
 * @public
 */
export const zeroTrustPlugin = createBackendPlugin({
  pluginId: 'zero-trust',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
      },
      async init(deps) {
        const { httpAuth, httpRouter, logger, permissions } = deps;
        const config = readZeroTrustConfig(deps.config);

        const store = await DatabaseZeroTrustStore.create({
          database: deps.database,
        });
        const engine = createEngine({
          store,
          config,
          logger,
          discovery: deps.discovery,
          auth: deps.auth,
        });
        await engine.start();
        deps.lifecycle.addShutdownHook(() => engine.stop());

        await deps.scheduler.scheduleTask({
          id: 'zero-trust-retention',
          frequency: { minutes: 10 },
          timeout: { minutes: 5 },
          fn: async () => {
            const deleted = await engine.prune();
            logger.info('Pruned zero-trust history', deleted);
          },
        });

        deps.permissionsRegistry.addPermissions(zeroTrustPermissions);
        httpRouter.use(
          await createRouter({ httpAuth, permissions, ...engine }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
