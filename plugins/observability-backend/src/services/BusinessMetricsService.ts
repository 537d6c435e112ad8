import { MetricStore, SeriesAggregate, Fold } from '../database/MetricStore';
import { TimeWindow } from '../database/TelemetryStore';
import { describeWindow, resolveWindow, WindowQuery } from './window';

/**
 * The metrics the business KPIs are computed from: names, instruments and
 * UCUM units that TMS services export (see the README).
 */
export const BUSINESS_METRICS = {
  /** Gauge, `{user}`: users signed in now, per service and region. */
  activeUsers: 'tms.business.active_users',
  /** Monotonic sums, `{quiz}`. */
  quizzesStarted: 'tms.business.quiz.started',
  quizzesCompleted: 'tms.business.quiz.completed',
  /** Monotonic sum, `{check}`, with the boolean attribute `compliant`. */
  safetyChecks: 'tms.business.safety_checks',
  /** Monotonic sums, `{invoice}`. */
  invoicesGenerated: 'tms.business.invoices.generated',
  invoicesProcessed: 'tms.business.invoices.processed',
  /** Histogram (or gauge) of ratings from 1 to 5, unit `{rating}`. */
  customerSatisfaction: 'tms.business.customer_satisfaction',
} as const;

const DELTA = 1;

/** The KPIs an alert rule (`series: business_kpi`) or an SLO can name. */
export const BUSINESS_KPIS = [
  'active_users',
  'quizzes_started',
  'quizzes_completed',
  'quiz_completion_rate',
  'safety_checks',
  'safety_checks_compliant',
  'safety_check_compliance',
  'invoices_generated',
  'invoices_processed',
  'invoice_processing_rate',
  'customer_satisfaction',
] as const;

export type BusinessKpi = (typeof BUSINESS_KPIS)[number];

/** The KPIs of one service in one region; a KPI without data is absent. */
export interface BusinessKpiGroup {
  service: string;
  region: string;
  values: Partial<Record<BusinessKpi, number>>;
}

export interface BusinessMetrics {
  from: string;
  to: string;
  /** The region asked for; null for all regions. */
  region: string | null;
  activeUsers: {
    total: number | null;
    byRegion: Array<{ region: string; users: number }>;
  };
  quizzes: {
    started: number | null;
    completed: number | null;
    completionRate: number | null;
  };
  safetyChecks: {
    total: number | null;
    compliant: number | null;
    complianceRate: number | null;
  };
  invoices: { generated: number | null; processed: number | null };
  customerSatisfaction: { responses: number | null; average: number | null };
}

/**
 * The business KPIs of the TMS platform, from the metrics its services
 * export. A KPI with no data in the window is null, never zero or NaN.
 */
export class BusinessMetricsService {
  private readonly store: MetricStore;

  static create(options: { store: MetricStore }) {
    return new BusinessMetricsService(options.store);
  }

  private constructor(store: MetricStore) {
    this.store = store;
  }

  /** The KPIs of a window, by default the last hour, in one region or all. */
  async kpis(query: WindowQuery & { region?: string }) {
    const window = { ...resolveWindow(query), region: query.region };
    const [latestUsers, series] = await Promise.all([
      this.store.latestPoints(BUSINESS_METRICS.activeUsers, window),
      this.store.aggregateSeries(
        [
          BUSINESS_METRICS.quizzesStarted,
          BUSINESS_METRICS.quizzesCompleted,
          BUSINESS_METRICS.safetyChecks,
          BUSINESS_METRICS.invoicesGenerated,
          BUSINESS_METRICS.invoicesProcessed,
          BUSINESS_METRICS.customerSatisfaction,
        ],
        window,
      ),
    ]);
    const fromUs = window.fromMs * 1000;
    const named = (name: string) => series.filter(s => s.name === name);
    const total = (name: string) =>
      sumOrNull(named(name).map(s => increase(s, s.value, fromUs)));

    // Each series' last value, added up per region: the users that every
    // instance of a service reports as signed in.
    const usersByRegion = new Map<string, number>();
    for (const point of latestUsers) {
      if (point.value !== null) {
        usersByRegion.set(
          point.region,
          (usersByRegion.get(point.region) ?? 0) + point.value,
        );
      }
    }

    const started = total(BUSINESS_METRICS.quizzesStarted);
    const completed = total(BUSINESS_METRICS.quizzesCompleted);

    const checks = named(BUSINESS_METRICS.safetyChecks);
    const checksTotal = sumOrNull(
      checks.map(s => increase(s, s.value, fromUs)),
    );
    const compliant =
      checksTotal === null
        ? null
        : sumOrNull(
            checks
              .filter(s => isTrue(s.attributes.compliant))
              .map(s => increase(s, s.value, fromUs)),
          ) ?? 0;

    const ratings = named(BUSINESS_METRICS.customerSatisfaction);
    const satisfaction = this.satisfaction(ratings, fromUs);

    const result: BusinessMetrics = {
      ...describeWindow(window),
      region: query.region ?? null,
      activeUsers: {
        total: sumOrNull([...usersByRegion.values()]),
        byRegion: [...usersByRegion.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([region, users]) => ({ region, users })),
      },
      quizzes: {
        started,
        completed,
        completionRate: ratio(completed, started),
      },
      safetyChecks: {
        total: checksTotal,
        compliant,
        complianceRate: ratio(compliant, checksTotal),
      },
      invoices: {
        generated: total(BUSINESS_METRICS.invoicesGenerated),
        processed: total(BUSINESS_METRICS.invoicesProcessed),
      },
      customerSatisfaction: satisfaction,
    };
    return result;
  }

  /**
   * Every KPI per service and region over a window, for alert rules and
   * SLOs: a group without data for a KPI leaves it out rather than
   * answering zero.
   */
  async kpiGroups(
    window: TimeWindow,
    scope: { service?: string; region?: string } = {},
  ): Promise<BusinessKpiGroup[]> {
    const query = { ...window, region: scope.region || undefined };
    const [latestUsers, series] = await Promise.all([
      this.store.latestPoints(BUSINESS_METRICS.activeUsers, query),
      this.store.aggregateSeries(
        [
          BUSINESS_METRICS.quizzesStarted,
          BUSINESS_METRICS.quizzesCompleted,
          BUSINESS_METRICS.safetyChecks,
          BUSINESS_METRICS.invoicesGenerated,
          BUSINESS_METRICS.invoicesProcessed,
          BUSINESS_METRICS.customerSatisfaction,
        ],
        query,
      ),
    ]);
    const fromUs = window.fromMs * 1000;
    const wanted = (row: { service: string; region: string }) =>
      (!scope.service || row.service === scope.service) &&
      (scope.region === undefined || row.region === scope.region);

    const groups = new Map<
      string,
      { service: string; region: string; series: SeriesAggregate[] }
    >();
    const groupOf = (row: { service: string; region: string }) => {
      const key = `${row.service}\u0000${row.region}`;
      if (!groups.has(key)) {
        groups.set(key, {
          service: row.service,
          region: row.region,
          series: [],
        });
      }
      return groups.get(key)!;
    };
    for (const s of series.filter(wanted)) {
      groupOf(s).series.push(s);
    }
    const users = new Map<string, number>();
    for (const point of latestUsers.filter(wanted)) {
      if (point.value !== null) {
        const key = `${point.service}\u0000${point.region}`;
        groupOf(point);
        users.set(key, (users.get(key) ?? 0) + point.value);
      }
    }

    return [...groups.entries()].map(([key, group]) => {
      const named = (name: string) => group.series.filter(s => s.name === name);
      const total = (list: SeriesAggregate[]) =>
        sumOrNull(list.map(s => increase(s, s.value, fromUs)));
      const checks = named(BUSINESS_METRICS.safetyChecks);
      const checksTotal = total(checks);
      const compliant =
        checksTotal === null
          ? null
          : total(checks.filter(s => isTrue(s.attributes.compliant))) ?? 0;
      const started = total(named(BUSINESS_METRICS.quizzesStarted));
      const completed = total(named(BUSINESS_METRICS.quizzesCompleted));
      const generated = total(named(BUSINESS_METRICS.invoicesGenerated));
      const processed = total(named(BUSINESS_METRICS.invoicesProcessed));
      const satisfaction = this.satisfaction(
        named(BUSINESS_METRICS.customerSatisfaction),
        fromUs,
      );

      const values: Partial<Record<BusinessKpi, number | null>> = {
        active_users: users.get(key) ?? null,
        quizzes_started: started,
        quizzes_completed: completed,
        quiz_completion_rate: ratio(completed, started),
        safety_checks: checksTotal,
        safety_checks_compliant: compliant,
        safety_check_compliance: ratio(compliant, checksTotal),
        invoices_generated: generated,
        invoices_processed: processed,
        invoice_processing_rate: ratio(processed, generated),
        customer_satisfaction: satisfaction.average,
      };
      const present: Partial<Record<BusinessKpi, number>> = {};
      for (const [kpi, value] of Object.entries(values)) {
        if (value !== null && value !== undefined) {
          present[kpi as BusinessKpi] = value;
        }
      }
      return { service: group.service, region: group.region, values: present };
    });
  }

  /**
   * Ratings from histograms (count and sum of each point) or, from a
   * service that reports its running average as a gauge, the mean of the
   * gauge's points.
   */
  private satisfaction(ratings: SeriesAggregate[], fromUs: number) {
    const histograms = ratings.filter(s => s.count.total !== null);
    const gauges = ratings.filter(
      s => s.count.total === null && s.value.total !== null,
    );

    if (histograms.length > 0) {
      const responses = sumOrNull(
        histograms.map(s => increase(s, s.count, fromUs)),
      );
      const ratingSum = sumOrNull(
        histograms.map(s => increase(s, s.sum, fromUs)),
      );
      return { responses, average: ratio(ratingSum, responses) };
    }

    return {
      responses: null,
      average: ratio(
        sumOrNull(gauges.map(s => s.value.total)),
        sumOrNull(gauges.map(s => s.points)),
      ),
    };
  }
}

/**
 * What a series added within the window. A delta series sends each
 * interval's own amount, so they add up; a cumulative one sends running
 * totals, so the increase is the last minus the first, or the last alone
 * when the series started inside the window. The increase between the last
 * point before the window and the first inside it is not counted.
 */
function increase(series: SeriesAggregate, fold: Fold, fromUs: number) {
  if (fold.total === null || fold.max === null || fold.min === null) {
    return null;
  }
  if (series.temporality === DELTA || series.temporality === 0) {
    return fold.total;
  }
  return series.startUs >= fromUs ? fold.max : fold.max - fold.min;
}

function sumOrNull(values: Array<number | null>): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? present.reduce((a, b) => a + b, 0) : null;
}

function ratio(part: number | null, whole: number | null) {
  return part === null || whole === null || whole === 0 ? null : part / whole;
}

function isTrue(value: unknown) {
  return value === true || value === 'true';
}
