import {
  AuthService,
  DatabaseService,
  DiscoveryService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { createAlertsRouter } from '../alertsRouter';
import { BusinessMetricsService } from '../services/BusinessMetricsService';
import { KpiSloService, readKpiSlos } from '../slos/KpiSloService';
import { SloService } from '../slos/SloService';
import { SloTargetResolver } from '../slos/targets';
import { AlertEvaluator } from './AlertEvaluator';
import { scheduleAlertEvaluation } from './AlertEvaluationTask';
import { AlertService } from './AlertService';
import { readAlertsConfig } from './config';
import { DatabaseAlertStore } from './database/DatabaseAlertStore';
import { DatabaseSeriesStore } from './database/DatabaseSeriesStore';
import { NotificationOutbox } from './NotificationOutbox';
import { RuleRegistry } from './RuleRegistry';
import {
  SecurityEventSeriesSource,
  SeriesSource,
  SpanSeriesSource,
} from './series';
import { CatalogServiceDirectory } from './ServiceDirectory';
import {
  AlertmanagerTarget,
  NotificationTarget,
  OwnerNotificationTarget,
  WebhookTarget,
} from './targets';

/**
 * Builds alerts and SLOs on the engine's database (its migrations have
 * run), schedules the evaluation and returns the router and the health
 * report. `extraSources` is where further series, such as business KPIs
 * from a metrics store, plug in.
 */
export async function createAlerting(options: {
  config: Config;
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auth: AuthService;
  discovery: DiscoveryService;
  catalog: CatalogService;
  notifications: NotificationService;
  extraSources?: SeriesSource[];
  /** Where the SLOs on business KPIs read; none without it. */
  business?: Pick<BusinessMetricsService, 'kpiGroups'>;
}) {
  const { config, logger } = options;
  const settings = readAlertsConfig(config);
  const db = await options.database.getClient();

  const store = new DatabaseAlertStore(db);
  const seriesStore = new DatabaseSeriesStore(db);
  const sources: SeriesSource[] = [
    new SpanSeriesSource(seriesStore),
    new SecurityEventSeriesSource(seriesStore),
    ...(options.extraSources ?? []),
  ];
  const directory = new CatalogServiceDirectory(
    options.catalog,
    options.auth,
    logger,
  );
  const slos = new SloService({
    store: seriesStore,
    targets: SloTargetResolver.fromConfig(config),
    directory,
    logger,
    longWindowRefreshMs: settings.longWindowRefreshMs,
    minRequests: settings.minRequests,
  });
  const kpiSlos = options.business
    ? new KpiSloService({
        business: options.business,
        definitions: readKpiSlos(config),
        longWindowRefreshMs: settings.longWindowRefreshMs,
        minEvents: settings.minRequests,
      })
    : undefined;

  const baseUrl = await options.discovery.getExternalBaseUrl('observability');
  const alertLink = (alert: { id: string }) => `${baseUrl}/alerts/${alert.id}`;
  const targets: NotificationTarget[] = [];
  if (settings.alertmanagerUrl) {
    targets.push(
      new AlertmanagerTarget({
        url: settings.alertmanagerUrl,
        resendIntervalMs: settings.resendIntervalMs,
        generatorUrl: alertLink,
      }),
    );
  }
  if (settings.notifyOwners) {
    targets.push(
      new OwnerNotificationTarget(options.notifications, directory, alertLink),
    );
  }
  for (const hook of settings.webhooks) {
    targets.push(new WebhookTarget(hook.name, hook.url));
  }

  const outbox = new NotificationOutbox(store, targets, logger);
  const rules = new RuleRegistry(store, sources, settings.rules);
  const evaluator = new AlertEvaluator({
    store,
    rules,
    sources,
    slos: settings.burnRateAlerts ? slos : undefined,
    kpiSlos,
    outbox,
    logger,
    resendIntervalMs: settings.resendIntervalMs,
  });
  const alerts = new AlertService({
    store,
    rules,
    evaluator,
    permissions: options.permissions,
  });

  await scheduleAlertEvaluation({
    scheduler: options.scheduler,
    evaluator,
    outbox,
    logger,
    intervalMs: settings.evaluationIntervalMs,
  });

  return {
    router: createAlertsRouter({
      httpAuth: options.httpAuth,
      alerts,
      slos,
      kpiSlos,
    }),
    health: async () => ({ notifications: await outbox.health() }),
  };
}
