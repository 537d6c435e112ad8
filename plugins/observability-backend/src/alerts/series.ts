import { TimeWindow } from '../database/TelemetryStore';
import { RuleDefinition, RuleScope, SeriesKind } from './rules';

/** The labels of one series sample: where the value was measured. */
export interface SeriesLabels {
  service: string;
  /** Empty when the telemetry named no region. */
  region: string;
  route?: string;
  eventName?: string;
  kpi?: string;
}

/** One value of a series; groups without data yield no sample at all. */
export interface SeriesSample {
  labels: SeriesLabels;
  value: number;
}

export interface SeriesQuery {
  kind: SeriesKind;
  window: TimeWindow;
  scope: RuleScope;
  eventName?: string;
  kpi?: string;
}

/**
 * A series the engine derives from what it stores. Each source answers for
 * some kinds; a rule on a kind no source answers for is refused.
 */
export interface SeriesSource {
  readonly kinds: readonly SeriesKind[];
  read(query: SeriesQuery): Promise<SeriesSample[]>;
  /** Refuses, with an InputError, a rule this source cannot answer. */
  check?(definition: RuleDefinition): void;
}

/** Request counts of one service, region and (optionally) route. */
export interface RequestCounts {
  service: string;
  region: string;
  route?: string;
  requests: number;
  errors: number;
  /** Requests at or above each of the asked duration thresholds. */
  slow: number[];
}

/** Counts of one service and region in each of several windows. */
export interface WindowedCounts {
  service: string;
  region: string;
  /** In the order the windows were asked for. */
  windows: Array<{ requests: number; errors: number; slow: number[] }>;
}

/** Where series read their numbers: the span and log tables. */
export interface SeriesStore {
  /**
   * Request, error and slow-request counts per service and region in
   * windows that all end at `toMs`, from one scan of the longest. Read
   * every second for the SLOs, so it reads pre-aggregated buckets: a
   * window may begin up to one bucket early, and a threshold between two
   * duration boundaries is judged at the next one up.
   */
  windowedCounts(options: {
    toMs: number;
    windowsMs: number[];
    slowThresholdsMs: number[];
  }): Promise<WindowedCounts[]>;

  requestCounts(options: {
    window: TimeWindow;
    scope: RuleScope;
    byRoute: boolean;
    slowThresholdsMs: number[];
  }): Promise<RequestCounts[]>;

  /** Nearest-rank p95 of request durations, in milliseconds. */
  p95(options: {
    window: TimeWindow;
    scope: RuleScope;
    byRoute: boolean;
  }): Promise<Array<{ labels: SeriesLabels; p95Ms: number }>>;

  /** Log records with the event name, per service and region. */
  eventCounts(options: {
    window: TimeWindow;
    scope: RuleScope;
    eventName: string;
  }): Promise<Array<{ labels: SeriesLabels; count: number }>>;
}

/**
 * Request rate, error rate, availability and p95 per service, region and
 * route, from server spans. A group without requests has no sample: no
 * data is neither 0% nor 100%.
 */
export class SpanSeriesSource implements SeriesSource {
  readonly kinds = [
    'request_rate',
    'error_rate',
    'availability',
    'p95',
  ] as const;

  constructor(private readonly store: SeriesStore) {}

  async read(query: SeriesQuery): Promise<SeriesSample[]> {
    const byRoute = Boolean(query.scope.route);

    if (query.kind === 'p95') {
      const rows = await this.store.p95({
        window: query.window,
        scope: query.scope,
        byRoute,
      });
      return rows.map(row => ({ labels: row.labels, value: row.p95Ms }));
    }

    const rows = await this.store.requestCounts({
      window: query.window,
      scope: query.scope,
      byRoute,
      slowThresholdsMs: [],
    });
    const seconds = (query.window.toMs - query.window.fromMs) / 1000;
    return rows
      .filter(row => row.requests > 0)
      .map(row => {
        const labels: SeriesLabels = {
          service: row.service,
          region: row.region,
        };
        if (row.route !== undefined) {
          labels.route = row.route;
        }
        const errorRate = row.errors / row.requests;
        const values: Record<string, number> = {
          request_rate: row.requests / seconds,
          error_rate: errorRate,
          availability: 1 - errorRate,
        };
        return { labels, value: values[query.kind] };
      });
  }
}

/**
 * Security events: log records counted by event name (the log record's
 * `eventName`, such as `security.threat.detected` or `auth.login.failed`)
 * per service and region.
 */
export class SecurityEventSeriesSource implements SeriesSource {
  readonly kinds = ['security_events'] as const;

  constructor(private readonly store: SeriesStore) {}

  async read(query: SeriesQuery): Promise<SeriesSample[]> {
    const rows = await this.store.eventCounts({
      window: query.window,
      scope: query.scope,
      eventName: query.eventName!,
    });
    return rows.map(row => ({ labels: row.labels, value: row.count }));
  }
}
