import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readRegionsConfig } from './config';
import { RegionHealthStore } from './database/RegionHealthStore';
import { createRouter } from './router';
import { HealthMonitor } from './services/HealthMonitor';
import { ObservabilityClient } from './services/ObservabilityClient';
import { rateLimitReport, RegionService } from './services/RegionService';
import { RegionSimulation } from './services/RegionSimulation';
import { RolloutService } from './services/RolloutService';
import { RoutingService } from './services/RoutingService';
import { WhatIfService } from './services/WhatIfService';

/**
 * TMS regions: the region model, health probes and failover, geo routing
 * read from the global load balancer's nginx configuration, rollout status
 * per region and the failover what-if.
 *
 * @public
 */
export const regionsPlugin = createBackendPlugin({
  pluginId: 'regions',
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
        lifecycle: coreServices.lifecycle,
      },
      async init(deps) {
        const settings = readRegionsConfig(deps.config);
        const { regions } = settings;

        const store = await RegionHealthStore.create({
          database: deps.database,
        });
        const health = HealthMonitor.create({
          regions,
          settings: settings.probes,
          store,
          logger: deps.logger,
        });
        const routing = RoutingService.create({
          configPath: settings.nginx.configPath,
          variable: settings.nginx.variable,
          regions,
          health,
          logger: deps.logger,
        });
        const observability = new ObservabilityClient({
          discovery: deps.discovery,
          auth: deps.auth,
        });
        const performance = () => observability.performance();

        routing.startReloading(settings.nginx.reloadIntervalMs);
        deps.lifecycle.addShutdownHook(() => routing.stopReloading());
        await health.schedule(deps.scheduler);

        const simulation = settings.simulation.enabled
          ? RegionSimulation.fromConfig(deps.config, Date.now())
          : undefined;

        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            regions: new RegionService({ regions, health }),
            routing,
            rollouts: new RolloutService({
              regions,
              rolloutOrder: settings.rolloutOrder,
              observability,
            }),
            whatIf: new WhatIfService({
              regions,
              routing,
              health,
              performance,
              entryServices: settings.entryServices,
            }),
            rateLimits: async () =>
              rateLimitReport({
                nginx: routing.nginx,
                regions,
                apiServices: settings.apiServices,
                performance: await performance(),
              }),
            simulation,
            regionIds: regions.map(r => r.id),
          }),
        );
        if (simulation) {
          // Probes call the simulated endpoints like real ones, without a token.
          deps.httpRouter.addAuthPolicy({
            path: '/simulation',
            allow: 'unauthenticated',
          });
        }
      },
    });
  },
});
