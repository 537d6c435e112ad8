import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { alertPermissions } from './alerts/permissions';
import { BusinessKpiSeriesSource } from './alerts/BusinessKpiSeriesSource';
import { createAlerting } from './alerts/createAlerting';
import { readEngineConfig } from './config';
import { DatabaseMetricStore } from './database/DatabaseMetricStore';
import { DatabaseSecurityEventStore } from './database/DatabaseSecurityEventStore';
import { DatabaseTelemetryStore } from './database/DatabaseTelemetryStore';
import { createRouter } from './router';
import { BusinessMetricsExposition } from './services/BusinessMetricsExposition';
import { BusinessMetricsService } from './services/BusinessMetricsService';
import { EngineMetrics } from './services/EngineMetrics';
import { CallerPolicy } from './services/CallerPolicy';
import { IngestLimiter } from './services/IngestLimiter';
import { OtlpReceiver } from './services/OtlpReceiver';
import { PerformanceService } from './services/PerformanceService';
import { RetentionTask } from './services/RetentionTask';
import { SecurityDashboardService } from './services/SecurityDashboardService';
import { TelemetryQueryService } from './services/TelemetryQueryService';

/**
 * The TMS observability engine: OTLP/HTTP ingest, Prometheus metrics and the
 * queries of the observability service's API.
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
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        notifications: notificationService,
      },
      async init({
        config,
        database,
        httpAuth,
        httpRouter,
        logger,
        scheduler,
        auth,
        discovery,
        permissions,
        permissionsRegistry,
        catalog,
        notifications,
      }) {
        const engineConfig = readEngineConfig(config);

        const metrics = EngineMetrics.create(engineConfig);
        const store = await DatabaseTelemetryStore.create({ database });
        // After the telemetry store: both run the same migrations, and the
        // second run finds nothing left to do.
        const metricStore = await DatabaseMetricStore.create({ database });
        const receiver = OtlpReceiver.create({
          store,
          metricStore,
          metrics,
          logger,
          maxBodyBytes: engineConfig.maxBodyBytes,
          limits: engineConfig,
        });
        const queries = TelemetryQueryService.create({ store });
        const retention = RetentionTask.create({
          store,
          metricStore,
          logger,
          retentionDays: engineConfig.retentionDays,
        });

        await retention.schedule(scheduler);
        const performance = PerformanceService.create({ store });
        const business = BusinessMetricsService.create({ store: metricStore });
        BusinessMetricsExposition.register({
          registry: metrics.registry,
          business,
          logger,
        });
        const security = SecurityDashboardService.create({
          store: await DatabaseSecurityEventStore.create({ database }),
        });

        permissionsRegistry.addPermissions(alertPermissions);
        const alerting = await createAlerting({
          config,
          database,
          scheduler,
          logger,
          httpAuth,
          permissions,
          auth,
          discovery,
          catalog,
          notifications,
          extraSources: [new BusinessKpiSeriesSource(business)],
          business,
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            receiver,
            queries,
            performance,
            store,
            metrics,
            metricStore,
            business,
            security,
            ingestLimiter: IngestLimiter.create(engineConfig),
            callers: CallerPolicy.create(engineConfig),
            maxBodyBytes: engineConfig.maxBodyBytes,
            queryLimits: engineConfig,
            health: alerting.health,
          }),
        );
        httpRouter.use(alerting.router);

        // Probes and Prometheus scrape without a Backstage token.
        for (const path of engineConfig.unauthenticatedPaths) {
          httpRouter.addAuthPolicy({ path, allow: 'unauthenticated' });
        }
      },
    });
  },
});
