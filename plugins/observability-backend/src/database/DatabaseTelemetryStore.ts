import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  cacheSqliteInsertStatements,
  RunWriteStatement,
  tuneSqliteFile,
} from '@internal/portal-node';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { LogRecord } from '../otlp/readLogsRequest';
import { SpanRecord } from '../otlp/readTraceRequest';
import {
  isFailedRequest,
  SPAN_KIND_SERVER,
  usedMutualTls,
} from '../otlp/spanOutcome';
import {
  CallStats,
  LogPage,
  LogQuery,
  RequestStats,
  StatusCount,
  StoredSpan,
  TimeWindow,
  TelemetryStore,
  TraceQuery,
  TraceSummary,
} from './TelemetryStore';
import {
  bucketStartMs,
  DURATION_COLUMNS,
  durationBucket,
  ROLLUP_BUCKET_MS,
} from './spanRollups';
import {
  inWriteTransaction,
  isSqlite,
  MultiRowInserts,
} from './writeTransaction';

const MIGRATIONS_DIR = resolvePackagePath(
  '@internal/backstage-plugin-observability-backend',
  'migrations',
);

/** Rows per retention DELETE. */
const RETENTION_BATCH = 5000;

/**
 * Bind variables one statement may carry: SQLite's SQLITE_MAX_VARIABLE_NUMBER
 * (32,766 since 3.32, as better-sqlite3 builds it) and PostgreSQL's 16-bit
 * parameter count in the wire protocol. An INSERT carries as many rows as
 * fit, so that an export of a few thousand items is one statement or two.
 */
const MAX_BIND_VARIABLES: Record<string, number> = {
  sqlite: 32766,
  pg: 65535,
};

/**
 * better-sqlite3 runs each statement on the event loop's thread, so a
 * statement of 1,489 spans would hold every other request up for tens of
 * milliseconds. On SQLite an INSERT carries at most this many rows, and
 * the export yields to the event loop between its statements; the
 * transaction stays one.
 */
const SQLITE_ROWS_PER_STATEMENT = 128;

/** The columns of an inserted span, in the order of toSpanValues. */
const SPAN_COLUMNS = [
  'trace_id',
  'span_id',
  'parent_span_id',
  'name',
  'kind',
  'service',
  'region',
  'start_time_unix_nano',
  'end_time_unix_nano',
  'start_us',
  'duration_us',
  'status_code',
  'status_message',
  'failed',
  'mtls',
  'attributes',
  'resource_attributes',
  'scope_name',
  'scope_version',
  'events',
  'links',
  'received_at_ms',
];

/** The columns of an inserted log record, in the order of insertLogs. */
const LOG_COLUMNS = [
  'content_key',
  'time_us',
  'time_unix_nano',
  'observed_time_unix_nano',
  'severity_number',
  'severity_text',
  'body',
  'body_text',
  'attributes',
  'resource_attributes',
  'service',
  'region',
  'trace_id',
  'span_id',
  'event_name',
  'scope_name',
  'scope_version',
  'received_at_ms',
];

/** How one table takes new rows and says which of them were new. */
interface InsertTarget {
  table: string;
  columns: string[];
  /** The unique key a second copy of a row collides on. */
  conflictKey: string[];
}

const SPANS: InsertTarget = {
  table: 'spans',
  columns: SPAN_COLUMNS,
  conflictKey: ['trace_id', 'span_id'],
};

/** The columns of a span rollup row, in the order of rollupValues. */
const ROLLUP_COLUMNS = [
  'bucket_start_us',
  'service',
  'region',
  'requests',
  'errors',
  ...DURATION_COLUMNS,
];

/** The columns a second rollup row of the same key adds to. */
const ROLLUP_COUNTS = ROLLUP_COLUMNS.slice(3);

/** A second rollup row of the same key adds its counts to the first. */
const ROLLUP_ADDITIONS = ROLLUP_COUNTS.map(
  column => `${column} = span_rollups.${column} + excluded.${column}`,
).join(', ');
const ROLLUP_ADD = `ON CONFLICT (bucket_start_us, service, region) DO UPDATE SET ${ROLLUP_ADDITIONS}`;

const LOGS: InsertTarget = {
  table: 'logs',
  columns: LOG_COLUMNS,
  conflictKey: ['content_key'],
};

type SpanRow = {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: number;
  service: string;
  region: string | null;
  start_time_unix_nano: string;
  end_time_unix_nano: string;
  start_us: number | string;
  duration_us: number | string;
  status_code: number;
  status_message: string | null;
  failed: boolean | number;
  mtls: boolean | number;
  attributes: string;
  resource_attributes: string;
  scope_name: string;
  scope_version: string;
  events: string;
  links: string;
  received_at_ms: number | string;
};

type LogRow = {
  id: number | string;
  time_us: number | string;
  time_unix_nano: string;
  observed_time_unix_nano: string;
  severity_number: number;
  severity_text: string;
  body: string;
  attributes: string;
  resource_attributes: string;
  service: string;
  region: string | null;
  trace_id: string | null;
  span_id: string | null;
  event_name: string | null;
  scope_name: string;
  scope_version: string;
};

/** Makes LIKE's wildcards and its escape character match themselves. */
function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, match => `\\${match}`);
}

/** One trace's aggregates; counts and sums may come back as strings. */
type TraceAggregateRow = {
  trace_id: string;
  start_us: number | string;
  end_us: number | string;
  span_count: number | string;
  errors: number | string;
};

/**
 * Nanoseconds as a decimal string to whole microseconds. Dropping the last
 * three digits is exact and much cheaper than BigInt division; the readers
 * hand over canonical decimals (no sign, no leading zeros).
 */
function toMicros(nanos: string) {
  return nanos.length > 3 ? Number(nanos.slice(0, -3)) : 0;
}

/** Most spans have no events or links: skip serialising an empty list. */
function listJson(list: unknown[]) {
  return list.length === 0 ? '[]' : JSON.stringify(list);
}

/** Microseconds that fit the 13 hex digits of a key: until 2112. */
const MAX_KEY_MICROS = 16 ** 13 - 1;

/**
 * The content key of a log record: what makes it this record, so that a
 * retried export collides with the copy already stored. It starts with
 * the record's time in microseconds (13 hex digits), so that new keys land
 * at the end of the unique index, as times mostly rise, instead of all over
 * it: a random key dirties a page of the index per record. The rest is 76
 * bits of SHA-256 over the record's content, which two records of the same
 * microsecond would have to share by accident to be taken for one.
 *
 * The observed time is left out on purpose: it says when a collector read
 * the record, not what the record is. Each part is prefixed with its
 * length so that no two different records join into the same text.
 */
function logContentKey(record: LogRecord, json: LogJson, timeUs: number) {
  const parts = [
    json.resourceAttributes,
    record.scope.name,
    record.scope.version,
    record.timeUnixNano,
    record.traceId ?? '',
    record.spanId ?? '',
    String(record.severityNumber),
    record.severityText,
    record.eventName ?? '',
    json.body,
    json.attributes,
  ];
  let text = '';
  for (const part of parts) {
    text += `${part.length}:${part}`;
  }
  const time = Math.min(Math.max(0, timeUs), MAX_KEY_MICROS)
    .toString(16)
    .padStart(13, '0');
  const hash = createHash('sha256').update(text).digest('hex');
  return time + hash.slice(0, 19);
}

/** A log record's values serialised for storage. */
interface LogJson {
  resourceAttributes: string;
  body: string;
  attributes: string;
}

/**
 * Serialises each distinct object once: the items of one resource share
 * its attributes object, so an export of 512 items of one service
 * stringifies the resource once instead of 512 times.
 */
function memoJson() {
  const seen = new Map<object, string>();
  return (value: object) => {
    let json = seen.get(value);
    if (json === undefined) {
      json = JSON.stringify(value);
      seen.set(value, json);
    }
    return json;
  };
}

/**
 * The telemetry store on the plugin's knex database: SQLite or PostgreSQL.
 * PostgreSQL returns bigint columns as strings, so every mapper converts
 * them, and both engines hand back the same JavaScript types.
 */
export class DatabaseTelemetryStore implements TelemetryStore {
  private readonly db: Knex;

  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseTelemetryStore> {
    const db = await options.database.getClient();

    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await db.migrate.latest({ directory: MIGRATIONS_DIR });
    }
    await tuneSqliteFile(db);
    await cacheSqliteInsertStatements(db);
    return new DatabaseTelemetryStore(db);
  }

  private readonly sqlite: boolean;

  private constructor(db: Knex) {
    this.db = db;
    this.sqlite = isSqlite(db);
  }

  async insertSpans(spans: SpanRecord[]): Promise<SpanRecord[]> {
    if (spans.length === 0) {
      return [];
    }

    const receivedAt = Date.now();
    const json = memoJson();
    const values: unknown[] = [];
    for (const span of spans) {
      this.pushSpanValues(values, span, receivedAt, json);
    }

    return this.insertNew(SPANS, values, async (run, inserted) => {
      // The keys of the rows that were new; a span repeated inside one
      // export is new once.
      const keys = new Set(inserted.map(row => row.trace_id + row.span_id));
      const fresh = spans.filter(span =>
        keys.delete(span.traceId + span.spanId),
      );
      // Rolled up in the same transaction and from new spans only, so that
      // a retried export is counted once, like the spans themselves.
      await this.upsertRollups(run, fresh);
      return fresh;
    });
  }

  /**
   * Adds newly stored server spans to their rollup rows: one row per
   * bucket, service and region, whose counts a later export of the same
   * bucket adds to (`ON CONFLICT ... DO UPDATE`, on both engines).
   */
  private async upsertRollups(run: RunWriteStatement, spans: SpanRecord[]) {
    // Per key: requests, errors, then the duration buckets.
    const rows = new Map<string, { key: unknown[]; counts: number[] }>();
    for (const span of spans) {
      if (span.kind !== SPAN_KIND_SERVER) {
        continue;
      }
      const startUs = toMicros(span.startTimeUnixNano);
      const durationUs = Math.max(0, toMicros(span.endTimeUnixNano) - startUs);
      const bucketUs = bucketStartMs(startUs / 1000) * 1000;
      const region = span.region ?? '';
      const id = `${bucketUs}\u0000${span.service}\u0000${region}`;
      let row = rows.get(id);
      if (!row) {
        row = {
          key: [bucketUs, span.service, region],
          counts: new Array(ROLLUP_COUNTS.length).fill(0),
        };
        rows.set(id, row);
      }
      row.counts[0] += 1;
      if (isFailedRequest(span)) {
        row.counts[1] += 1;
      }
      row.counts[2 + durationBucket(durationUs)] += 1;
    }
    if (rows.size === 0) {
      return;
    }

    // In key order, so that two exports updating the same rows on
    // PostgreSQL lock them in the same order and cannot deadlock.
    const sorted = [...rows.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, row]) => [...row.key, ...row.counts]);
    const width = ROLLUP_COLUMNS.length;
    const perStatement = Math.min(
      SQLITE_ROWS_PER_STATEMENT,
      Math.floor(MAX_BIND_VARIABLES.sqlite / width),
    );
    for (let first = 0; first < sorted.length; first += perStatement) {
      const batch = sorted.slice(first, first + perStatement);
      await run(this.rollupSql(batch.length), batch.flat());
    }
  }

  private rollupSql(rows: number) {
    return this.inserts.sql('span_rollups', ROLLUP_COLUMNS, rows, ROLLUP_ADD);
  }

  /**
   * Inserts rows, given as one flat list of values in the target's column
   * order, in one transaction and as few statements as the database's
   * bind-variable limit allows. A row whose key is already stored is left
   * alone; the answer holds the keys of the rows that were new. Both
   * engines run `INSERT ... ON CONFLICT DO NOTHING RETURNING`, which
   * returns only the rows it inserted (SQLite since 3.35).
   */
  private async insertNew<T = Record<string, string>[]>(
    target: InsertTarget,
    values: unknown[],
    // Runs inside the transaction, with the keys of the new rows.
    then: (
      run: RunWriteStatement,
      inserted: Record<string, string>[],
    ) => Promise<T> = async (_run, inserted) => inserted as T,
  ): Promise<T> {
    const width = target.columns.length;
    const rowsPerStatement = this.sqlite
      ? Math.min(
          SQLITE_ROWS_PER_STATEMENT,
          Math.floor(MAX_BIND_VARIABLES.sqlite / width),
        )
      : Math.floor(MAX_BIND_VARIABLES.pg / width);
    const total = values.length / width;

    return inWriteTransaction(this.db, async run => {
      const inserted: Record<string, string>[] = [];
      for (let first = 0; first < total; first += rowsPerStatement) {
        if (this.sqlite && first > 0) {
          await new Promise(resolve => setImmediate(resolve));
        }
        const rows = Math.min(rowsPerStatement, total - first);
        const keys = await run(
          this.insertSql(target, rows),
          values.slice(first * width, (first + rows) * width),
        );
        inserted.push(...(keys as Record<string, string>[]));
      }
      return then(run, inserted);
    });
  }

  private readonly inserts = new MultiRowInserts();

  private insertSql(target: InsertTarget, rows: number) {
    const key = target.conflictKey.join(', ');
    return this.inserts.sql(
      target.table,
      target.columns,
      rows,
      `ON CONFLICT (${key}) DO NOTHING RETURNING ${key}`,
    );
  }

  async getTrace(traceId: string): Promise<StoredSpan[]> {
    const rows: SpanRow[] = await this.db('spans')
      .where({ trace_id: traceId.toLowerCase() })
      .orderBy([{ column: 'start_us' }, { column: 'span_id' }]);

    return rows.map(row => this.fromRow(row));
  }

  async searchTraces(query: TraceQuery): Promise<TraceSummary[]> {
    const fromUs = query.fromMs * 1000;
    const toUs = query.toMs * 1000;

    const matching = this.db('spans')
      .distinct('trace_id')
      .where('start_us', '>=', fromUs)
      .andWhere('start_us', '<', toUs)
      .modify(q => {
        if (query.service) {
          q.andWhere('service', query.service);
        }
      });

    const rows = (await this.db('spans')
      .select('trace_id')
      .min({ start_us: 'start_us' })
      .max({ end_us: this.db.raw('start_us + duration_us') })
      .count({ span_count: '*' })
      .sum({
        errors: this.db.raw('CASE WHEN failed THEN 1 ELSE 0 END'),
      })
      .whereIn('trace_id', matching)
      .groupBy('trace_id')
      .orderBy('start_us', 'desc')
      .limit(query.limit)) as TraceAggregateRow[];

    if (rows.length === 0) {
      return [];
    }

    // The root of each trace: its span without a parent, else its earliest.
    const spans: SpanRow[] = await this.db('spans')
      .whereIn(
        'trace_id',
        rows.map(row => row.trace_id),
      )
      .orderBy('start_us');
    const roots = new Map<string, SpanRow>();
    for (const span of spans) {
      const current = roots.get(span.trace_id);
      if (!current || (current.parent_span_id && !span.parent_span_id)) {
        roots.set(span.trace_id, span);
      }
    }

    return rows.map(row => {
      const root = roots.get(row.trace_id)!;
      return {
        traceId: row.trace_id,
        rootService: root.service,
        rootName: root.name,
        region: root.region ?? undefined,
        startTimeMs: Number(row.start_us) / 1000,
        durationMs: (Number(row.end_us) - Number(row.start_us)) / 1000,
        spanCount: Number(row.span_count),
        error: Number(row.errors) > 0,
      };
    });
  }

  async insertLogs(records: LogRecord[]): Promise<LogRecord[]> {
    if (records.length === 0) {
      return [];
    }

    const receivedAt = Date.now();
    const memo = memoJson();
    const keys: string[] = [];
    const values: unknown[] = [];
    for (const record of records) {
      const json: LogJson = {
        resourceAttributes: memo(record.resourceAttributes),
        body: JSON.stringify(record.body),
        attributes: JSON.stringify(record.attributes),
      };
      const timeUs = toMicros(record.timeUnixNano);
      const key = logContentKey(record, json, timeUs);
      keys.push(key);
      values.push(
        key,
        timeUs,
        record.timeUnixNano,
        record.observedTimeUnixNano,
        record.severityNumber,
        record.severityText,
        json.body,
        typeof record.body === 'string' ? record.body : json.body,
        json.attributes,
        json.resourceAttributes,
        record.service,
        record.region ?? null,
        record.traceId ?? null,
        record.spanId ?? null,
        record.eventName ?? null,
        record.scope.name,
        record.scope.version,
        receivedAt,
      );
    }

    const inserted = await this.insertNew(LOGS, values);

    const fresh = new Set(inserted.map(row => row.content_key));
    return records.filter((_, i) => fresh.delete(keys[i]));
  }

  async searchLogs(query: LogQuery): Promise<LogPage> {
    const rows: LogRow[] = await this.db('logs')
      .where('time_us', '>=', query.fromMs * 1000)
      .andWhere('time_us', '<', query.toMs * 1000)
      .modify(q => {
        if (query.service) {
          q.andWhere('service', query.service);
        }
        if (query.minSeverity) {
          q.andWhere('severity_number', '>=', query.minSeverity);
        }
        if (query.traceId) {
          q.andWhere('trace_id', query.traceId.toLowerCase());
        }
        if (query.text) {
          // Lower-cased on both sides: LIKE is case-sensitive on
          // PostgreSQL and not on SQLite, and both must answer alike.
          q.andWhereRaw('lower(body_text) like ? escape ?', [
            `%${escapeLike(query.text.toLowerCase())}%`,
            '\\',
          ]);
        }
        if (query.after) {
          const { timeUs, id } = query.after;
          q.andWhere(older =>
            older
              .where('time_us', '<', timeUs)
              .orWhere(same =>
                same.where('time_us', timeUs).andWhere('id', '<', id),
              ),
          );
        }
      })
      .orderBy([
        { column: 'time_us', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(query.limit + 1);

    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      logs: page.map(row => this.fromLogRow(row)),
      next:
        rows.length > query.limit
          ? { timeUs: Number(last.time_us), id: Number(last.id) }
          : undefined,
    };
  }

  async requestStats(window: TimeWindow): Promise<RequestStats[]> {
    const rows = await this.rankedDurations(
      this.db('spans')
        .select(
          'service',
          this.db.raw("coalesce(region, '') as region"),
          'duration_us',
          'failed',
        )
        .where('kind', SPAN_KIND_SERVER)
        .andWhere('start_us', '>=', window.fromMs * 1000)
        .andWhere('start_us', '<', window.toMs * 1000),
      { groupBy: ['service', 'region'], percentiles: [50, 95, 99] },
    );

    return rows.map(row => ({
      service: row.service,
      region: row.region,
      requests: Number(row.requests),
      errors: Number(row.errors),
      p50Ms: Number(row.p50_us) / 1000,
      p95Ms: Number(row.p95_us) / 1000,
      p99Ms: Number(row.p99_us) / 1000,
    }));
  }

  async statusCounts(
    window: TimeWindow,
    statusCode: number,
  ): Promise<StatusCount[]> {
    // The status is one of the span's attributes, kept as JSON text: each
    // engine reads it with its own JSON operator.
    const status =
      this.db.client.config.client === 'pg'
        ? this.db.raw(
            `(attributes::jsonb ->> 'http.response.status_code') = ?`,
            [String(statusCode)],
          )
        : this.db.raw(
            `json_extract(attributes, '$."http.response.status_code"') = ?`,
            [statusCode],
          );
    const rows = await this.db('spans')
      .select('service', this.db.raw("coalesce(region, '') as region"), 'name')
      .count({ requests: '*' })
      .where('kind', SPAN_KIND_SERVER)
      .andWhere('start_us', '>=', window.fromMs * 1000)
      .andWhere('start_us', '<', window.toMs * 1000)
      .andWhere(status)
      .groupBy('service', this.db.raw("coalesce(region, '')"), 'name');

    return rows.map((row: Record<string, any>) => ({
      service: row.service,
      region: row.region,
      route: row.name,
      requests: Number(row.requests),
    }));
  }

  async callStats(window: TimeWindow): Promise<CallStats[]> {
    const rows = await this.rankedDurations(
      this.db({ c: 'spans' })
        .join({ p: 'spans' }, join =>
          join
            .on('p.trace_id', 'c.trace_id')
            .andOn('p.span_id', 'c.parent_span_id'),
        )
        .select({
          caller: 'p.service',
          caller_region: this.db.raw("coalesce(p.region, '')"),
          callee: 'c.service',
          callee_region: this.db.raw("coalesce(c.region, '')"),
          duration_us: 'c.duration_us',
          failed: 'c.failed',
          mtls: 'c.mtls',
        })
        .where('c.kind', SPAN_KIND_SERVER)
        .andWhere('c.start_us', '>=', window.fromMs * 1000)
        .andWhere('c.start_us', '<', window.toMs * 1000)
        .andWhere(other =>
          other
            .whereRaw('p.service <> c.service')
            .orWhereRaw("coalesce(p.region, '') <> coalesce(c.region, '')"),
        ),
      {
        groupBy: ['caller', 'caller_region', 'callee', 'callee_region'],
        percentiles: [95],
        countMtls: true,
      },
    );

    return rows.map(row => ({
      caller: { service: row.caller, region: row.caller_region },
      callee: { service: row.callee, region: row.callee_region },
      requests: Number(row.requests),
      errors: Number(row.errors),
      p95Ms: Number(row.p95_us) / 1000,
      mtlsRequests: Number(row.mtls_requests),
    }));
  }

  /**
   * Groups the rows of `source` and works out, per group, the request and
   * error counts and nearest-rank percentiles of duration_us: the smallest
   * duration that at least p% of the group does not exceed. Ranks come from
   * a window function, which both engines run, so both give the same
   * answer; for 19 requests of 100 ms and one of 10 s, p95 is 100 ms.
   */
  private async rankedDurations(
    source: Knex.QueryBuilder,
    options: { groupBy: string[]; percentiles: number[]; countMtls?: boolean },
  ): Promise<any[]> {
    const { groupBy, percentiles, countMtls } = options;
    const partition = groupBy.join(', ');
    const mtls = countMtls
      ? ', sum(CASE WHEN mtls THEN 1 ELSE 0 END) AS mtls_requests'
      : '';
    const columns = percentiles
      .map(
        p =>
          `min(CASE WHEN rn * 100 >= n * ${p} THEN duration_us END) AS p${p}_us`,
      )
      .join(', ');

    return this.db
      .with('source', source)
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
          `${partition}, count(*) AS requests, ` +
            `sum(CASE WHEN failed THEN 1 ELSE 0 END) AS errors, ${columns}${mtls}`,
        ),
      )
      .from('ranked')
      .groupByRaw(partition)
      .orderByRaw(partition);
  }

  async deleteOlderThan(
    cutoffMs: number,
  ): Promise<{ spans: number; logs: number; spanRollups: number }> {
    const cutoffUs = cutoffMs * 1000;

    // Small batches keep each transaction short, so that ingest is never
    // held up for long behind a large delete.
    const deleteBatches = async (
      table: string,
      column: string,
      key: string[],
      before = cutoffUs,
    ) => {
      let deleted = 0;
      for (;;) {
        const batch = this.db(table)
          .select(key)
          .where(column, '<', before)
          .limit(RETENTION_BATCH);
        const count = await this.db(table)
          .whereIn(key as any, batch)
          .delete();
        deleted += count;
        if (count < RETENTION_BATCH) {
          return deleted;
        }
      }
    };

    return {
      spans: await deleteBatches('spans', 'start_us', ['trace_id', 'span_id']),
      logs: await deleteBatches('logs', 'time_us', ['id']),
      // A rollup bucket goes once all of it is before the cutoff: the
      // bucket the cutoff falls in still counts spans that are kept.
      spanRollups: await deleteBatches(
        'span_rollups',
        'bucket_start_us',
        ['bucket_start_us', 'service', 'region'],
        (cutoffMs - ROLLUP_BUCKET_MS) * 1000 + 1,
      ),
    };
  }

  async ping(): Promise<void> {
    await this.db.raw('SELECT 1');
  }

  /** Appends a span's values in the order of SPAN_COLUMNS. */
  private pushSpanValues(
    values: unknown[],
    span: SpanRecord,
    receivedAt: number,
    json: (value: object) => string,
  ) {
    const startUs = toMicros(span.startTimeUnixNano);
    const endUs = toMicros(span.endTimeUnixNano);

    values.push(
      span.traceId,
      span.spanId,
      span.parentSpanId ?? null,
      span.name,
      span.kind,
      span.service,
      span.region ?? null,
      span.startTimeUnixNano,
      span.endTimeUnixNano,
      startUs,
      // A span that ends before it starts is clamped to no duration.
      Math.max(0, endUs - startUs),
      span.statusCode,
      span.statusMessage ?? null,
      isFailedRequest(span),
      usedMutualTls(span),
      JSON.stringify(span.attributes),
      json(span.resourceAttributes),
      span.scope.name,
      span.scope.version,
      listJson(span.events),
      listJson(span.links),
      receivedAt,
    );
  }

  private fromLogRow(row: LogRow): LogRecord {
    return {
      timeUnixNano: row.time_unix_nano,
      observedTimeUnixNano: row.observed_time_unix_nano,
      severityNumber: row.severity_number,
      severityText: row.severity_text,
      body: JSON.parse(row.body),
      attributes: JSON.parse(row.attributes),
      resourceAttributes: JSON.parse(row.resource_attributes),
      service: row.service,
      region: row.region ?? undefined,
      traceId: row.trace_id ?? undefined,
      spanId: row.span_id ?? undefined,
      eventName: row.event_name ?? undefined,
      scope: { name: row.scope_name, version: row.scope_version },
    };
  }

  private fromRow(row: SpanRow): StoredSpan {
    return {
      traceId: row.trace_id,
      spanId: row.span_id,
      parentSpanId: row.parent_span_id ?? undefined,
      name: row.name,
      kind: row.kind,
      service: row.service,
      region: row.region ?? undefined,
      startTimeUnixNano: row.start_time_unix_nano,
      endTimeUnixNano: row.end_time_unix_nano,
      durationMs: Number(row.duration_us) / 1000,
      statusCode: row.status_code,
      statusMessage: row.status_message ?? undefined,
      attributes: JSON.parse(row.attributes),
      resourceAttributes: JSON.parse(row.resource_attributes),
      scope: { name: row.scope_name, version: row.scope_version },
      events: JSON.parse(row.events),
      links: JSON.parse(row.links),
    };
  }
}
