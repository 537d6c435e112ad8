import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
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
  StoredSpan,
  TimeWindow,
  TelemetryStore,
  TraceQuery,
  TraceSummary,
} from './TelemetryStore';

const MIGRATIONS_DIR = resolvePackagePath(
  '@internal/backstage-plugin-observability-backend',
  'migrations',
);

/** Rows per retention DELETE. */
const RETENTION_BATCH = 5000;

/** Rows per INSERT: well under the bind-variable limits of both engines. */
const INSERT_CHUNK = 500;

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

/** Nanoseconds as a decimal string to whole microseconds. */
function toMicros(nanos: string) {
  return Number(BigInt(nanos) / 1000n);
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
    return new DatabaseTelemetryStore(db);
  }

  private constructor(db: Knex) {
    this.db = db;
  }

  async insertSpans(spans: SpanRecord[]): Promise<void> {
    if (spans.length === 0) {
      return;
    }

    const receivedAt = Date.now();
    const rows = spans.map(span => this.toRow(span, receivedAt));

    await this.db.transaction(async tx => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await tx('spans')
          .insert(rows.slice(i, i + INSERT_CHUNK))
          .onConflict(['trace_id', 'span_id'])
          .ignore();
      }
    });
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

  async insertLogs(records: LogRecord[]): Promise<void> {
    if (records.length === 0) {
      return;
    }

    const receivedAt = Date.now();
    const rows = records.map(record => ({
      time_us: toMicros(record.timeUnixNano),
      time_unix_nano: record.timeUnixNano,
      observed_time_unix_nano: record.observedTimeUnixNano,
      severity_number: record.severityNumber,
      severity_text: record.severityText,
      body: JSON.stringify(record.body),
      body_text:
        typeof record.body === 'string'
          ? record.body
          : JSON.stringify(record.body),
      attributes: JSON.stringify(record.attributes),
      resource_attributes: JSON.stringify(record.resourceAttributes),
      service: record.service,
      region: record.region ?? null,
      trace_id: record.traceId ?? null,
      span_id: record.spanId ?? null,
      event_name: record.eventName ?? null,
      scope_name: record.scope.name,
      scope_version: record.scope.version,
      received_at_ms: receivedAt,
    }));

    await this.db.transaction(async tx => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await tx('logs').insert(rows.slice(i, i + INSERT_CHUNK));
      }
    });
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
  ): Promise<{ spans: number; logs: number }> {
    const cutoffUs = cutoffMs * 1000;

    // Small batches keep each transaction short, so that ingest is never
    // held up for long behind a large delete.
    const deleteBatches = async (
      table: string,
      column: string,
      key: string[],
    ) => {
      let deleted = 0;
      for (;;) {
        const batch = this.db(table)
          .select(key)
          .where(column, '<', cutoffUs)
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
    };
  }

  async ping(): Promise<void> {
    await this.db.raw('SELECT 1');
  }

  private toRow(span: SpanRecord, receivedAt: number): SpanRow {
    const startUs = toMicros(span.startTimeUnixNano);
    const endUs = toMicros(span.endTimeUnixNano);

    return {
      trace_id: span.traceId,
      span_id: span.spanId,
      parent_span_id: span.parentSpanId ?? null,
      name: span.name,
      kind: span.kind,
      service: span.service,
      region: span.region ?? null,
      start_time_unix_nano: span.startTimeUnixNano,
      end_time_unix_nano: span.endTimeUnixNano,
      start_us: startUs,
      // A span that ends before it starts is clamped to no duration.
      duration_us: Math.max(0, endUs - startUs),
      status_code: span.statusCode,
      status_message: span.statusMessage ?? null,
      failed: isFailedRequest(span),
      mtls: usedMutualTls(span),
      attributes: JSON.stringify(span.attributes),
      resource_attributes: JSON.stringify(span.resourceAttributes),
      scope_name: span.scope.name,
      scope_version: span.scope.version,
      events: JSON.stringify(span.events),
      links: JSON.stringify(span.links),
      received_at_ms: receivedAt,
    };
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
