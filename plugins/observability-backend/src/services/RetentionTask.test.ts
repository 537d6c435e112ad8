import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseMetricStore } from '../database/DatabaseMetricStore';
import { DatabaseTelemetryStore } from '../database/DatabaseTelemetryStore';
import { SpanRecord } from '../otlp/readTraceRequest';
import { RetentionTask } from './RetentionTask';

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW_MS = Date.parse('2026-12-03T12:00:00Z');

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function spanAt(ms: number, spanId: string): SpanRecord {
  const nanos = (BigInt(ms) * 1_000_000n).toString();
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId,
    name: 'GET /health',
    kind: 2,
    service: 'user-service',
    startTimeUnixNano: nanos,
    endTimeUnixNano: nanos,
    statusCode: 0,
    attributes: {},
    resourceAttributes: {},
    scope: { name: '', version: '' },
    events: [],
    links: [],
  };
}

describe.each(databases.eachSupportedId())(
  'RetentionTask on %s',
  databaseId => {
    it('deletes what is older than the retention period and keeps the rest', async () => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      const store = await DatabaseTelemetryStore.create({ database });
      const metricStore = await DatabaseMetricStore.create({ database });
      await store.insertSpans([
        spanAt(NOW_MS - 8 * DAY_MS, '0000000000000001'),
        spanAt(NOW_MS - 6 * DAY_MS, '0000000000000002'),
      ]);
      await store.insertLogs([
        {
          ...spanAt(NOW_MS - 9 * DAY_MS, '0000000000000003'),
          timeUnixNano: (BigInt(NOW_MS - 9 * DAY_MS) * 1_000_000n).toString(),
          observedTimeUnixNano: '0',
          severityNumber: 9,
          severityText: 'INFO',
          body: 'old',
        },
      ]);

      const gaugeAt = (ms: number, value: number) => ({
        ...spanAt(ms, '0000000000000004'),
        name: 'tms.business.active_users',
        unit: '{user}',
        description: '',
        type: 'gauge' as const,
        startTimeUnixNano: '0',
        timeUnixNano: (BigInt(ms) * 1_000_000n).toString(),
        value,
      });
      await metricStore.insertPoints([
        gaugeAt(NOW_MS - 10 * DAY_MS, 1),
        gaugeAt(NOW_MS - 8 * DAY_MS, 2),
        gaugeAt(NOW_MS - DAY_MS, 3),
      ]);

      const task = RetentionTask.create({
        store,
        metricStore,
        logger: mockServices.logger.mock(),
        retentionDays: 7,
      });
      const deleted = await task.run(NOW_MS);

      expect(deleted).toEqual({
        spans: 1,
        logs: 1,
        spanRollups: 1,
        metricPoints: 2,
      });
      const points = await metricStore.searchPoints({
        fromMs: 0,
        toMs: NOW_MS,
        limit: 10,
      });
      expect(points.map(point => point.value)).toEqual([3]);
      const remaining = await store.getTrace(
        '0af7651916cd43dd8448eb211c80319c',
      );
      expect(remaining.map(span => span.spanId)).toEqual(['0000000000000002']);
    });
  },
);
