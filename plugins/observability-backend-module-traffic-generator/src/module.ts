import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { TrafficGeneratorTask } from './TrafficGeneratorTask';

/**
 * Plays the TMS services into the observability engine when
 * `observability.trafficGenerator.enabled` is true.
 *
 * @public
 */
export const trafficGeneratorModule = createBackendModule({
  pluginId: 'observability',
  moduleId: 'traffic-generator',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ config, discovery, auth, logger, lifecycle }) {
        const task = TrafficGeneratorTask.fromConfig(config, {
          discovery,
          auth,
          logger,
        });

        // Start once the backend serves, so that the first export lands.
        lifecycle.addStartupHook(() => task.start());
        lifecycle.addShutdownHook(() => task.stop());
      },
    });
  },
});
