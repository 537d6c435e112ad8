import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  cacheSqliteInsertStatements,
  tuneSqliteFile,
} from '@internal/portal-node';
import { Knex } from 'knex';
import { MetricPoint, Temporality } from '../otlp/readMetricsRequest';
import { Attributes } from '../otlp/values';
import {
  Fold,
  LatestPoint,
  MetricPointQuery,
  MetricStore,
  SeriesAggregate,
} from './MetricStore';
import { TimeWindow } from './TelemetryStore';
import {
  inWriteTransaction,
  isSqlite,
  MultiRowInserts,
} from './writeTransaction';

const MIGRATIONS_DIR = resolvePackagePath(
  '@internal/backstage-plugin-observability-backend',
  'migrations',
);

const TABLE = 'metric_points';

/** The columns insertPoints writes, in the order of its values. */
const COLUMNS = [
  'name',
  'unit',
  'description',
  'type',
  'temporality',
  'monotonic',
  'service',
  'region',
  'attributes',
  'resource_attributes',
  'scope_name',
  'scope_version',
  'start_time_unix_nano',
  'time_unix_nano',
  'start_us',
  'time_us',
  'value',
  'count',
  'sum',
  'min',
  'max',
  'distribution',
  'received_at_ms',
];

/** Rows per INSERT: well under the bind-variable limits of both engines. */
const INSERT_CHUNK = 400;

/** Rows per retention DELETE. */
const RETENTION_BATCH = 5000;

type PointRow = {
  name: string;
  unit: string;
  description: string;
  type: MetricPoint['type'];
  temporality: number | null;
  monotonic: boolean | number | null;
  service: string;
  region: string | null;
  attributes: string;
  resource_attributes: string;
  scope_name: string;
  scope_version: string;
  start_time_unix_nano: string;
  time_unix_nano: string;
  value: number | null;
  count: number | null;
  sum: number | null;
  min: number | null;
  max: number | null;
  distribution: string | null;
};

/** Nanoseconds as a decimal string to whole microseconds. */
function toMicros(nanos: string) {
  return Number(BigInt(nanos) / 1000n);
}

/** JSON with sorted keys, so that equal attribute sets are equal text. */
function sortedJson(attributes: Attributes) {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  );
}

/** PostgreSQL hands back aggregates as strings, SQLite as numbers. */
function toNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/**
 * Metric data points on the plugin's knex database. The table comes with
 * the plugin's migrations, which DatabaseTelemetryStore also runs.
 */
export class DatabaseMetricStore implements MetricStore {
  private readonly db: Knex;

  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseMetricStore> {
    const db = await options.database.getClient();

    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await db.migrate.latest({ directory: MIGRATIONS_DIR });
    }
    await tuneSqliteFile(db);
    await cacheSqliteInsertStatements(db);
    return new DatabaseMetricStore(db);
  }

  private readonly sqlite: boolean;

  private constructor(db: Knex) {
    this.db = db;
    this.sqlite = isSqlite(db);
  }

  async insertPoints(points: MetricPoint[]): Promise<void> {
    if (points.length === 0) {
      return;
    }

    const receivedAt = Date.now();
    const values: unknown[] = [];
    for (const point of points) {
      values.push(
        point.name,
        point.unit,
        point.description,
        point.type,
        point.temporality ?? null,
        point.monotonic ?? null,
        point.service,
        point.region ?? null,
        sortedJson(point.attributes),
        JSON.stringify(point.resourceAttributes),
        point.scope.name,
        point.scope.version,
        point.startTimeUnixNano,
        point.timeUnixNano,
        toMicros(point.startTimeUnixNano),
        toMicros(point.timeUnixNano),
        point.value ?? null,
        point.count ?? null,
        point.sum ?? null,
        point.min ?? null,
        point.max ?? null,
        point.distribution ? JSON.stringify(point.distribution) : null,
        receivedAt,
      );
    }

    // One multi-row INSERT per chunk, written once per row count: knex's
    // query builder would build each from row objects again.
    const width = COLUMNS.length;
    await inWriteTransaction(this.db, async run => {
      for (let first = 0; first < points.length; first += INSERT_CHUNK) {
        if (this.sqlite && first > 0) {
          await new Promise(resolve => setImmediate(resolve));
        }
        const rows = Math.min(INSERT_CHUNK, points.length - first);
        await run(
          this.inserts.sql(TABLE, COLUMNS, rows),
          values.slice(first * width, (first + rows) * width),
        );
      }
    });
  }

  private readonly inserts = new MultiRowInserts();

  async searchPoints(query: MetricPointQuery): Promise<MetricPoint[]> {
    const rows: PointRow[] = await this.inWindow(query)
      .modify(q => {
        if (query.name) {
          q.andWhere('name', query.name);
        }
        if (query.service) {
          q.andWhere('service', query.service);
        }
      })
      .select('*')
      .orderBy([
        { column: 'time_us', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(query.limit);

    return rows.map(row => fromRow(row));
  }

  async aggregateSeries(
    names: string[],
    window: TimeWindow & { region?: string },
  ): Promise<SeriesAggregate[]> {
    const key = [
      'name',
      'service',
      'region',
      'attributes',
      'temporality',
      'start_us',
    ];
    const folds = ['value', 'count', 'sum'].flatMap(column => [
      this.db.raw(`min(??) as ??`, [column, `min_${column}`]),
      this.db.raw(`max(??) as ??`, [column, `max_${column}`]),
      this.db.raw(`sum(??) as ??`, [column, `total_${column}`]),
    ]);
    const rows = await this.inWindow(window)
      .whereIn('name', names)
      .select(key)
      .select(this.db.raw('count(*) as points'))
      .select(folds)
      .groupBy(key);

    const fold = (row: Record<string, unknown>, column: string): Fold => ({
      min: toNumber(row[`min_${column}`]),
      max: toNumber(row[`max_${column}`]),
      total: toNumber(row[`total_${column}`]),
    });
    return rows.map((row: Record<string, any>) => ({
      name: row.name,
      service: row.service,
      region: row.region ?? '',
      attributes: JSON.parse(row.attributes),
      temporality:
        row.temporality === null
          ? undefined
          : (Number(row.temporality) as Temporality),
      startUs: Number(row.start_us),
      points: Number(row.points),
      value: fold(row, 'value'),
      count: fold(row, 'count'),
      sum: fold(row, 'sum'),
    }));
  }

  async latestPoints(
    name: string,
    window: TimeWindow & { region?: string },
  ): Promise<LatestPoint[]> {
    // The newest row of each series, by a window function that both
    // databases run alike.
    const ranked = this.inWindow(window)
      .andWhere('name', name)
      .select(
        'name',
        'service',
        'region',
        'attributes',
        'time_us',
        'value',
        this.db.raw(
          'row_number() over (partition by service, region, attributes ' +
            'order by time_us desc, id desc) as newest',
        ),
      )
      .as('ranked');
    const rows = await this.db.from(ranked).where('newest', 1);

    return rows.map((row: Record<string, any>) => ({
      name: row.name,
      service: row.service,
      region: row.region ?? '',
      attributes: JSON.parse(row.attributes),
      timeUs: Number(row.time_us),
      value: toNumber(row.value),
    }));
  }

  async deleteOlderThan(cutoffMs: number): Promise<number> {
    const cutoffUs = cutoffMs * 1000;

    // Small batches keep each transaction short, as for spans and logs.
    let deleted = 0;
    for (;;) {
      const batch = this.db(TABLE)
        .select('id')
        .where('time_us', '<', cutoffUs)
        .limit(RETENTION_BATCH);
      const count = await this.db(TABLE).whereIn('id', batch).delete();
      deleted += count;
      if (count < RETENTION_BATCH) {
        return deleted;
      }
    }
  }

  private inWindow(window: TimeWindow & { region?: string }) {
    return this.db(TABLE)
      .where('time_us', '>=', window.fromMs * 1000)
      .andWhere('time_us', '<', window.toMs * 1000)
      .modify(q => {
        if (window.region) {
          q.andWhere('region', window.region);
        }
      });
  }
}

function fromRow(row: PointRow): MetricPoint {
  const optional = (value: number | null) =>
    value === null ? undefined : Number(value);
  return {
    name: row.name,
    unit: row.unit,
    description: row.description,
    type: row.type,
    temporality:
      row.temporality === null
        ? undefined
        : (Number(row.temporality) as Temporality),
    monotonic: row.monotonic === null ? undefined : Boolean(row.monotonic),
    service: row.service,
    region: row.region ?? undefined,
    attributes: JSON.parse(row.attributes),
    resourceAttributes: JSON.parse(row.resource_attributes),
    scope: { name: row.scope_name, version: row.scope_version },
    startTimeUnixNano: row.start_time_unix_nano,
    timeUnixNano: row.time_unix_nano,
    value: optional(row.value),
    count: optional(row.count),
    sum: optional(row.sum),
    min: optional(row.min),
    max: optional(row.max),
    distribution: row.distribution ? JSON.parse(row.distribution) : undefined,
  };
}
