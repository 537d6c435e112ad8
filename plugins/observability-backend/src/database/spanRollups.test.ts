import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { resolve } from 'node:path';
import { DatabaseSeriesStore } from '../alerts/database/DatabaseSeriesStore';
import { requestSpan } from '../alerts/testing';
import { SpanRecord } from '../otlp/readTraceRequest';
import { DatabaseTelemetryStore } from './DatabaseTelemetryStore';
import {
  DURATION_BOUNDARIES_MS,
  durationColumn,
  ROLLUP_BUCKET_MS,
  slowBoundaryMs,
} from './spanRollups';

const ROLLUP_MIGRATION = {
  directory: resolve(__dirname, '../../migrations'),
  name: '20261204_spanRollups.js',
};

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** On a bucket boundary, as every evaluation time below is not. */
const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;

async function setUp(databaseId: string) {
  const knex = await databases.init(databaseId as any);
  const telemetry = await DatabaseTelemetryStore.create({
    database: mockServices.database({ knex }),
  });
  return { knex, telemetry, series: new DatabaseSeriesStore(knex) };
}

/** A request span whose duration may have a fraction of a millisecond. */
function request(options: {
  service: string;
  region?: string;
  startMs: number;
  durationMs: number;
  failed?: boolean;
}): SpanRecord {
  const span = requestSpan({
    ...options,
    region: options.region ?? '',
    durationMs: 0,
  });
  const end =
    BigInt(span.startTimeUnixNano) +
    BigInt(Math.round(options.durationMs * 1000)) * 1000n;
  return { ...span, region: options.region, endTimeUnixNano: String(end) };
}

/** A client span: not a request served, so never in the rollup. */
function clientSpan(startMs: number): SpanRecord {
  return {
    ...requestSpan({
      service: 'api-gateway',
      region: 'eu-west-1',
      startMs,
      durationMs: 50,
    }),
    kind: 3,
  };
}

/**
 * Counts of the stored server spans per bucket, service and region, worked
 * out here from the raw rows: requests, errors and, per boundary, the
 * requests of at least that duration.
 */
async function rawCounts(knex: any) {
  const rows: any[] = await knex('spans')
    .select('start_us', 'duration_us', 'failed', 'service', 'region')
    .where('kind', 2);
  const counts = new Map<string, number[]>();
  for (const row of rows) {
    const bucket =
      Math.floor(Number(row.start_us) / 1000 / ROLLUP_BUCKET_MS) *
      ROLLUP_BUCKET_MS;
    const key = `${bucket} ${row.service} ${row.region ?? ''}`;
    const c =
      counts.get(key) ?? new Array(2 + DURATION_BOUNDARIES_MS.length).fill(0);
    c[0] += 1;
    c[1] += row.failed ? 1 : 0;
    DURATION_BOUNDARIES_MS.forEach((ms, i) => {
      c[2 + i] += Number(row.duration_us) >= ms * 1000 ? 1 : 0;
    });
    counts.set(key, c);
  }
  return Object.fromEntries([...counts.entries()].sort());
}

/** The same from the rollup table, its histogram made cumulative. */
async function rolledUp(knex: any) {
  const rows: any[] = await knex('span_rollups').select('*');
  const counts: Record<string, number[]> = {};
  for (const row of rows) {
    const key = `${Number(row.bucket_start_us) / 1000} ${row.service} ${
      row.region
    }`;
    const buckets = DURATION_BOUNDARIES_MS.map(ms =>
      Number(row[durationColumn(ms)]),
    );
    counts[key] = [
      Number(row.requests),
      Number(row.errors),
      ...buckets.map((_, i) => buckets.slice(i).reduce((a, b) => a + b, 0)),
    ];
  }
  return Object.fromEntries(Object.entries(counts).sort());
}

describe.each(databases.eachSupportedId())('span rollups on %s', id => {
  it('equal a raw count of the spans after retried, late and mixed exports, and after the migration rolls them up again', async () => {
    const { knex, telemetry } = await setUp(id);
    const durations = [0, 4.999, 5, 120, 1999.999, 2000, 2500, 9000, 70_000];
    const first = durations.flatMap((durationMs, i) => [
      request({
        service: 'quiz-service',
        region: 'eu-west-1',
        startMs: T0 + i * 3 * SECOND,
        durationMs,
        failed: i % 3 === 0,
      }),
      // No region: the rollup keys it under ''.
      request({
        service: 'quiz-service',
        startMs: T0 + i * SECOND,
        durationMs,
      }),
      clientSpan(T0 + i * SECOND),
    ]);
    const second = Array.from({ length: 30 }, (_, i) =>
      requestSpan({
        service: 'payment-service',
        region: 'us-east-1',
        startMs: T0 + 20 * SECOND + i * 700,
        durationMs: 40 * i,
        failed: i % 7 === 0,
      }),
    );
    // Arrives after the others, for buckets they already filled.
    const late = Array.from({ length: 5 }, (_, i) =>
      requestSpan({
        service: 'quiz-service',
        region: 'eu-west-1',
        startMs: T0 + i * 2 * SECOND,
        durationMs: 3000,
        failed: true,
      }),
    );

    expect(await telemetry.insertSpans(first)).toHaveLength(first.length);
    expect(await telemetry.insertSpans(second)).toHaveLength(30);
    // A retried export, with part of one already stored: only the new
    // spans are counted.
    const retry = [...second.slice(10), ...late];
    expect(await telemetry.insertSpans(retry)).toHaveLength(5);
    expect(await telemetry.insertSpans(first)).toHaveLength(0);

    const raw = await rawCounts(knex);
    expect(Object.keys(raw).length).toBeGreaterThan(4);
    expect(await rolledUp(knex)).toEqual(raw);

    // Down and up again: the migration rolls up the spans already stored
    // to the same counts as ingest did.
    await knex.migrate.down(ROLLUP_MIGRATION);
    expect(await knex.schema.hasTable('span_rollups')).toBe(false);
    await knex.migrate.up(ROLLUP_MIGRATION);
    expect(await rolledUp(knex)).toEqual(raw);
  });

  it('gives the windows of whole buckets a raw count over the same buckets gives', async () => {
    const { telemetry, series } = await setUp(id);
    const spans = Array.from({ length: 400 }, (_, i) =>
      requestSpan({
        service: i % 2 ? 'quiz-service' : 'payment-service',
        region: i % 3 ? 'eu-west-1' : 'us-east-1',
        startMs: T0 - 70 * MINUTE + i * 11 * SECOND,
        durationMs: (i * 37) % 3000,
        failed: i % 5 === 0,
      }),
    );
    await telemetry.insertSpans(spans);

    const toMs = T0 + 3 * SECOND + 250;
    const windowsMs = [5 * MINUTE, 30 * MINUTE, 60 * MINUTE];
    const thresholds = [2000, 250];
    const counts = await series.windowedCounts({
      toMs,
      windowsMs,
      slowThresholdsMs: thresholds,
    });

    const current = Math.floor(toMs / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
    for (const group of counts) {
      windowsMs.forEach((windowMs, w) => {
        const fromMs =
          Math.floor((toMs - windowMs) / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
        const inWindow = spans.filter(s => {
          const startMs = Number(BigInt(s.startTimeUnixNano) / 1_000_000n);
          return (
            s.service === group.service &&
            s.region === group.region &&
            startMs >= fromMs &&
            startMs < current + ROLLUP_BUCKET_MS
          );
        });
        const durationMs = (s: SpanRecord) =>
          Number(
            (BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) /
              1_000_000n,
          );
        expect(group.windows[w]).toEqual({
          requests: inWindow.length,
          errors: inWindow.filter(s => s.statusCode === 2).length,
          slow: thresholds.map(
            t => inWindow.filter(s => durationMs(s) >= t).length,
          ),
        });
      });
    }
    expect(counts.map(c => `${c.service}@${c.region}`)).toEqual([
      'payment-service@eu-west-1',
      'payment-service@us-east-1',
      'quiz-service@eu-west-1',
      'quiz-service@us-east-1',
    ]);
  });

  it('counts slow requests exactly at a boundary and at the next boundary otherwise', async () => {
    const { telemetry, series } = await setUp(id);
    await telemetry.insertSpans(
      [1999.999, 2000, 2000.001, 2400, 2500, 1900, 100].map(durationMs =>
        request({
          service: 'quiz-service',
          region: 'eu-west-1',
          startMs: T0 - MINUTE,
          durationMs,
        }),
      ),
    );

    expect(slowBoundaryMs(2000)).toBe(2000);
    expect(slowBoundaryMs(1800)).toBe(2000);
    expect(slowBoundaryMs(120_000)).toBe(60_000);
    const [group] = await series.windowedCounts({
      toMs: T0,
      windowsMs: [5 * MINUTE],
      slowThresholdsMs: [2000, 2500, 1800],
    });
    // At 2000 ms: the four of 2000 ms or more, as the raw spans say. At
    // 1800 ms, judged at 2000: 1900 and 1999.999 ms count as fast.
    expect(group.windows[0]).toEqual({
      requests: 7,
      errors: 0,
      slow: [4, 1, 4],
    });
  });

  it('deletes a rollup bucket once all of it is past retention', async () => {
    const { knex, telemetry } = await setUp(id);
    const cutoffMs = T0 + 5 * SECOND;
    await telemetry.insertSpans(
      [T0 - 20 * SECOND, T0 - 1, T0 + SECOND, T0 + 7 * SECOND, T0 + MINUTE].map(
        startMs =>
          requestSpan({
            service: 'quiz-service',
            region: 'eu-west-1',
            startMs,
            durationMs: 10,
          }),
      ),
    );

    expect(await telemetry.deleteOlderThan(cutoffMs)).toEqual({
      spans: 3,
      logs: 0,
      spanRollups: 2,
    });
    // The bucket the cutoff falls in is kept whole: it counts the span
    // kept in it, and the one deleted before the cutoff too.
    const left = await knex('span_rollups')
      .select('bucket_start_us', 'requests')
      .orderBy('bucket_start_us');
    expect(
      left.map(r => [Number(r.bucket_start_us) / 1000, Number(r.requests)]),
    ).toEqual([
      [T0, 2],
      [T0 + MINUTE, 1],
    ]);
  });
});
