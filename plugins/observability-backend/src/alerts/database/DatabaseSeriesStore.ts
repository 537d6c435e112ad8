import { Knex } from 'knex';
import { bucketStartMs, slowDurationColumns } from '../../database/spanRollups';
import { TimeWindow } from '../../database/TelemetryStore';
import { RuleScope } from '../rules';
import {
  RequestCounts,
  SeriesLabels,
  SeriesStore,
  WindowedCounts,
} from '../series';

/** Kind of a server span in OTLP: one request served. */
const SPAN_KIND_SERVER = 2;

/**
 * Reads the aggregates that alert rules and SLOs evaluate: SLO windows from
 * the span rollups, rule windows from the span and log tables. The route of
 * a request is its span name.
 */
export class DatabaseSeriesStore implements SeriesStore {
  constructor(private readonly db: Knex) {}

  /**
   * Reads the span rollups (`span_rollups`), not the spans: a window is the
   * whole buckets of ROLLUP_BUCKET_MS from the one its start falls in to
   * the current, partial one, so it reaches up to one bucket (10 s) further
   * back than asked. Slow requests are those of the duration buckets at or
   * above the threshold, exact when the threshold is a bucket boundary and
   * otherwise judged at the next boundary above it (see slowBoundaryMs).
   */
  async windowedCounts(options: {
    toMs: number;
    windowsMs: number[];
    slowThresholdsMs: number[];
  }): Promise<WindowedCounts[]> {
    const { toMs, windowsMs, slowThresholdsMs } = options;
    const fromUs = windowsMs.map(w => bucketStartMs(toMs - w) * 1000);
    const slowSums = slowThresholdsMs.map(ms =>
      slowDurationColumns(ms).join(' + '),
    );
    const columns = windowsMs.flatMap((_, w) => {
      const since = `bucket_start_us >= ${fromUs[w]}`;
      return [
        `sum(CASE WHEN ${since} THEN requests ELSE 0 END) AS requests_${w}`,
        `sum(CASE WHEN ${since} THEN errors ELSE 0 END) AS errors_${w}`,
        ...slowSums.map(
          (sum, s) =>
            `sum(CASE WHEN ${since} THEN ${sum} ELSE 0 END) AS slow_${w}_${s}`,
        ),
      ];
    });

    const rows: any[] = await this.db('span_rollups')
      .select(this.db.raw(['service', 'region', ...columns].join(', ')))
      .where('bucket_start_us', '>=', Math.min(...fromUs))
      .andWhere('bucket_start_us', '<=', bucketStartMs(toMs) * 1000)
      .groupBy('service', 'region')
      .orderBy(['service', 'region']);

    return rows.map(row => ({
      service: row.service,
      region: row.region,
      windows: windowsMs.map((_, w) => ({
        requests: Number(row[`requests_${w}`]),
        errors: Number(row[`errors_${w}`]),
        slow: slowThresholdsMs.map((__, s) => Number(row[`slow_${w}_${s}`])),
      })),
    }));
  }

  async requestCounts(options: {
    window: TimeWindow;
    scope: RuleScope;
    byRoute: boolean;
    slowThresholdsMs: number[];
  }): Promise<RequestCounts[]> {
    const { window, scope, byRoute, slowThresholdsMs } = options;
    const groups = byRoute
      ? ['service', 'region', 'route']
      : ['service', 'region'];
    const slowColumns = slowThresholdsMs.map(
      (ms, i) =>
        `sum(CASE WHEN duration_us >= ${Math.round(
          ms * 1000,
        )} THEN 1 ELSE 0 END) AS slow_${i}`,
    );

    const rows: any[] = await this.db
      .with('source', this.spans(window, scope))
      .select(
        this.db.raw(
          [
            groups.join(', '),
            'count(*) AS requests',
            'sum(CASE WHEN failed THEN 1 ELSE 0 END) AS errors',
            ...slowColumns,
          ].join(', '),
        ),
      )
      .from('source')
      .groupByRaw(groups.join(', '))
      .orderByRaw(groups.join(', '));

    return rows.map(row => ({
      service: row.service,
      region: row.region,
      ...(byRoute ? { route: row.route } : {}),
      requests: Number(row.requests),
      errors: Number(row.errors),
      slow: slowThresholdsMs.map((_, i) => Number(row[`slow_${i}`])),
    }));
  }

  /**
   * Nearest-rank p95: the smallest duration that at least 95% of the
   * requests do not exceed, ranked with a window function that both
   * engines run alike. 19 requests of 100 ms and one of 10 s give 100 ms.
   */
  async p95(options: {
    window: TimeWindow;
    scope: RuleScope;
    byRoute: boolean;
  }): Promise<Array<{ labels: SeriesLabels; p95Ms: number }>> {
    const { window, scope, byRoute } = options;
    const partition = (
      byRoute ? ['service', 'region', 'route'] : ['service', 'region']
    ).join(', ');

    const rows: any[] = await this.db
      .with('source', this.spans(window, scope))
      .with(
        'ranked',
        this.db.raw(
          `SELECT source.*, ` +
            `row_number() OVER (PARTITION BY ${partition} ORDER BY duration_us) AS rn, ` +
            `count(*) OVER (PARTITION BY ${partition}) AS n FROM source`,
        ),
      )
      .select(
        this.db.raw(
          `${partition}, min(CASE WHEN rn * 100 >= n * 95 THEN duration_us END) AS p95_us`,
        ),
      )
      .from('ranked')
      .groupByRaw(partition)
      .orderByRaw(partition);

    return rows.map(row => ({
      labels: {
        service: row.service,
        region: row.region,
        ...(byRoute ? { route: row.route } : {}),
      },
      p95Ms: Number(row.p95_us) / 1000,
    }));
  }

  async eventCounts(options: {
    window: TimeWindow;
    scope: RuleScope;
    eventName: string;
  }): Promise<Array<{ labels: SeriesLabels; count: number }>> {
    const { window, scope, eventName } = options;
    const rows: any[] = await this.db('logs')
      .select('service', this.db.raw("coalesce(region, '') AS region"))
      .count({ count: '*' })
      .where('event_name', eventName)
      .andWhere('time_us', '>=', window.fromMs * 1000)
      .andWhere('time_us', '<', window.toMs * 1000)
      .modify(q => {
        if (scope.service) {
          q.andWhere('service', scope.service);
        }
        if (scope.region !== undefined) {
          q.andWhereRaw("coalesce(region, '') = ?", [scope.region]);
        }
      })
      .groupByRaw("service, coalesce(region, '')")
      .orderByRaw("service, coalesce(region, '')");

    return rows.map(row => ({
      labels: { service: row.service, region: row.region, eventName },
      count: Number(row.count),
    }));
  }

  /** Server spans that started in the window, narrowed to the scope. */
  private spans(window: TimeWindow, scope: RuleScope) {
    return this.db('spans')
      .select(
        'service',
        this.db.raw("coalesce(region, '') AS region"),
        this.db.raw('name AS route'),
        'duration_us',
        'failed',
      )
      .where('kind', SPAN_KIND_SERVER)
      .andWhere('start_us', '>=', window.fromMs * 1000)
      .andWhere('start_us', '<', window.toMs * 1000)
      .modify(q => {
        if (scope.service) {
          q.andWhere('service', scope.service);
        }
        if (scope.region !== undefined) {
          q.andWhereRaw("coalesce(region, '') = ?", [scope.region]);
        }
        if (scope.route) {
          q.andWhere('name', scope.route);
        }
      });
  }
}
