import { LoggerService } from '@backstage/backend-plugin-api';
import { Gauge, Registry } from 'prom-client';
import { BusinessMetricsService } from './BusinessMetricsService';

/** The window the exposed KPIs cover, up to the scrape, and its label. */
const WINDOW_MS = 60 * 60 * 1000;
const WINDOW = { window: '1h' };

/**
 * Exposes the business KPIs of the last hour as tms_business_* gauges on
 * /metrics, worked out at each scrape. A KPI without data is left out, as
 * Prometheus expects of a value that does not exist; every gauge has a
 * label so that it can be left out (prom-client shows an unlabelled gauge
 * as 0).
 */
export class BusinessMetricsExposition {
  static register(options: {
    registry: Registry;
    business: BusinessMetricsService;
    logger: LoggerService;
  }) {
    const { registry, business, logger } = options;
    const registers = [registry];

    const activeUsers = new Gauge({
      name: 'tms_business_active_users',
      help: 'Users signed in, by region (tms.business.active_users).',
      labelNames: ['region'],
      registers,
      collect: () => collectOnce(),
    });
    const windowGauge = (name: string, help: string) =>
      new Gauge({
        name,
        help,
        labelNames: ['window'],
        registers,
        collect: () => collectOnce(),
      });
    const completion = windowGauge(
      'tms_business_quiz_completion_ratio',
      'Quizzes completed per quiz started in the last hour.',
    );
    const compliance = windowGauge(
      'tms_business_safety_check_compliance_ratio',
      'Safety checks that found the site compliant in the last hour, 0 to 1.',
    );
    const invoices = new Gauge({
      name: 'tms_business_invoices',
      help: 'Invoices generated and processed in the last hour, by stage.',
      labelNames: ['stage', 'window'],
      registers,
      collect: () => collectOnce(),
    });
    const satisfaction = windowGauge(
      'tms_business_customer_satisfaction_average',
      'Mean customer rating, 1 to 5, in the last hour.',
    );

    // One query per scrape sets every gauge; the gauges' collect runs it
    // once through a shared promise.
    let pending: Promise<void> | undefined;
    const refresh = async () => {
      const toMs = Date.now();
      try {
        const kpis = await business.kpis({ fromMs: toMs - WINDOW_MS, toMs });

        activeUsers.reset();
        for (const { region, users } of kpis.activeUsers.byRegion) {
          activeUsers.set({ region }, users);
        }
        setOrReset(completion, kpis.quizzes.completionRate);
        setOrReset(compliance, kpis.safetyChecks.complianceRate);
        invoices.reset();
        for (const [stage, count] of Object.entries(kpis.invoices)) {
          if (count !== null) {
            invoices.set({ stage, ...WINDOW }, count);
          }
        }
        setOrReset(satisfaction, kpis.customerSatisfaction.average);
      } catch (error) {
        // A scrape still answers with the engine's own series.
        logger.warn('Could not work out the business KPIs for /metrics', {
          error: String(error),
        });
      }
    };
    const collectOnce = () => {
      pending ??= refresh().finally(() => {
        pending = undefined;
      });
      return pending;
    };
  }
}

function setOrReset(gauge: Gauge<'window'>, value: number | null) {
  gauge.reset();
  if (value !== null) {
    gauge.set(WINDOW, value);
  }
}
