import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { DatabaseTelemetryStore } from './database/DatabaseTelemetryStore';
import { createRouter } from './router';
import { OtlpReceiver } from './services/OtlpReceiver';
import { TelemetryQueryService } from './services/TelemetryQueryService';

/** 64 MiB: the request limit the OTLP specification recommends. */
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * The TMS observability engine: OTLP/HTTP ingest and the queries of the
 * observability service's API.
 *
 * @public
 */
export const observabilityPlugin = createBackendPlugin({
  pluginId: 'observability',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ config, database, httpAuth, httpRouter, logger }) {
        const maxBodyBytes =
          config.getOptionalNumber('observability.ingest.maxBodyBytes') ??
          DEFAULT_MAX_BODY_BYTES;

        const store = await DatabaseTelemetryStore.create({ database });
        const receiver = OtlpReceiver.create({ store, logger, maxBodyBytes });
        const queries = TelemetryQueryService.create({ store });

        httpRouter.use(
          await createRouter({
            httpAuth,
            receiver,
            queries,
            store,
            maxBodyBytes,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
