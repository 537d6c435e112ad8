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
  private readonly business: BusinessMetricsService;
  private readonly logger: LoggerService;
  private readonly activeUsers: Gauge<'region'>;
  private readonly completion: Gauge<'window'>;
  private readonly compliance: Gauge<'window'>;
  private readonly invoices: Gauge<'stage' | 'window'>;
  private readonly satisfaction: Gauge<'window'>;
  private pending?: Promise<void>;

  static register(options: {
    registry: Registry;
    business: BusinessMetricsService;
    logger: LoggerService;
  }) {
    return new BusinessMetricsExposition(options);
  }

  private constructor(options: {
    registry: Registry;
    business: BusinessMetricsService;
    logger: LoggerService;
  }) {
    this.business = options.business;
    this.logger = options.logger;
    const registers = [options.registry];
    // Every gauge's collect runs the one query of the scrape.
    const collect = () => this.collectOnce();

    this.activeUsers = new Gauge({
      name: 'tms_business_active_users',
      help: 'Users signed in, by region (tms.business.active_users).',
      labelNames: ['region'],
      registers,
      collect,
    });
    const windowGauge = (name: string, help: string) =>
      new Gauge({ name, help, labelNames: ['window'], registers, collect });
    this.completion = windowGauge(
      'tms_business_quiz_completion_ratio',
      'Quizzes completed per quiz started in the last hour.',
    );
    this.compliance = windowGauge(
      'tms_business_safety_check_compliance_ratio',
      'Safety checks that found the site compliant in the last hour, 0 to 1.',
    );
    this.invoices = new Gauge({
      name: 'tms_business_invoices',
      help: 'Invoices generated and processed in the last hour, by stage.',
      labelNames: ['stage', 'window'],
      registers,
      collect,
    });
    this.satisfaction = windowGauge(
      'tms_business_customer_satisfaction_average',
      'Mean customer rating, 1 to 5, in the last hour.',
    );
  }

  private collectOnce() {
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh() {
    const toMs = Date.now();
    try {
      const kpis = await this.business.kpis({
        fromMs: toMs - WINDOW_MS,
        toMs,
      });

      this.activeUsers.reset();
      for (const { region, users } of kpis.activeUsers.byRegion) {
        this.activeUsers.set({ region }, users);
      }
      setOrReset(this.completion, kpis.quizzes.completionRate);
      setOrReset(this.compliance, kpis.safetyChecks.complianceRate);
      this.invoices.reset();
      for (const [stage, count] of Object.entries(kpis.invoices)) {
        if (count !== null) {
          this.invoices.set({ stage, ...WINDOW }, count);
        }
      }
      setOrReset(this.satisfaction, kpis.customerSatisfaction.average);
    } catch (error) {
      // A scrape still answers with the engine's own series.
      this.logger.warn('Could not work out the business KPIs for /metrics', {
        error: String(error),
      });
    }
  }
}

function setOrReset(gauge: Gauge<'window'>, value: number | null) {
  gauge.reset();
  if (value !== null) {
    gauge.set(WINDOW, value);
  }
}
