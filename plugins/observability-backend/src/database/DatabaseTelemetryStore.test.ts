import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { sqliteFileDatabase } from '@internal/portal-node/testUtils';
import { LogRecord } from '../otlp/readLogsRequest';
import { SpanRecord } from '../otlp/readTraceRequest';
import { DatabaseTelemetryStore } from './DatabaseTelemetryStore';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const RESOURCE = {
  'service.name': 'quiz-service',
  'cloud.region': 'eu-west-1',
};

function span(traceNumber: number, spanNumber: number): SpanRecord {
  return {
    traceId: traceNumber.toString(16).padStart(32, '0'),
    spanId: spanNumber.toString(16).padStart(16, '0'),
    name: 'POST /quizzes/:id/completions',
    kind: 2,
    service: 'quiz-service',
    region: 'eu-west-1',
    startTimeUnixNano: '1796299200001158936',
    endTimeUnixNano: '1796299200026158936',
    statusCode: 0,
    attributes: { 'http.response.status_code': 200 },
    resourceAttributes: RESOURCE,
    scope: { name: 'tms', version: '1.0.0' },
    events: [],
    links: [],
  };
}

function logRecord(body: string, extra: Partial<LogRecord> = {}): LogRecord {
  return {
    timeUnixNano: '1796299200029920898',
    observedTimeUnixNano: '1796299200030000000',
    severityNumber: 9,
    severityText: 'INFO',
    body,
    attributes: { 'http.route': 'POST /quizzes/:id/completions' },
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    service: 'quiz-service',
    region: 'eu-west-1',
    resourceAttributes: RESOURCE,
    scope: { name: 'tms', version: '1.0.0' },
    ...extra,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseTelemetryStore on %s',
  databaseId => {
    let store: DatabaseTelemetryStore;
    let knex: Awaited<ReturnType<typeof databases.init>>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseTelemetryStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
    });

    it('answers with the spans that were new, once each', async () => {
      const first = [span(1, 1), span(1, 2)];
      expect(await store.insertSpans(first)).toEqual(first);

      // A retry of the same export, plus one new span sent twice in it.
      const retry = [span(1, 1), span(1, 2), span(1, 3), span(1, 3)];
      expect(await store.insertSpans(retry)).toEqual([span(1, 3)]);

      const [{ count }] = await knex('spans')
        .where({ trace_id: span(1, 1).traceId })
        .count({ count: '*' });
      expect(Number(count)).toBe(3);
    });

    it('counts the server spans that answered a status, per route', async () => {
      const answered = (n: number, status: number, name: string) => ({
        ...span(7, n),
        name,
        attributes: { 'http.response.status_code': status },
      });
      await store.insertSpans([
        answered(1, 429, 'GET /api/quizzes'),
        answered(2, 429, 'GET /api/quizzes'),
        answered(3, 429, 'POST /api/feedback'),
        answered(4, 200, 'GET /api/quizzes'),
        answered(5, 503, 'GET /api/quizzes'),
        // A client span with 429 is the caller's view, not a rejection.
        { ...answered(6, 429, 'GET /api/quizzes'), kind: 3 },
      ]);
      const window = { fromMs: 1796299200000, toMs: 1796299201000 };

      const counts = await store.statusCounts(window, 429);
      expect(counts.sort((a, b) => a.route.localeCompare(b.route))).toEqual([
        {
          service: 'quiz-service',
          region: 'eu-west-1',
          route: 'GET /api/quizzes',
          requests: 2,
        },
        {
          service: 'quiz-service',
          region: 'eu-west-1',
          route: 'POST /api/feedback',
          requests: 1,
        },
      ]);
      expect(await store.statusCounts(window, 418)).toEqual([]);
    });

    it('splits an export over statements at the bind-variable limit', async () => {
      // 3,000 spans take three statements on SQLite (1,489 rows each) and
      // two on PostgreSQL (2,978 rows each).
      const spans = Array.from({ length: 3000 }, (_, i) => span(2, i + 1));
      spans[2999] = span(2, 1);

      const stored = await store.insertSpans(spans);

      expect(stored).toHaveLength(2999);
      expect(stored[2998]).toEqual(span(2, 2999));
      const [{ count }] = await knex('spans')
        .where({ trace_id: span(2, 1).traceId })
        .count({ count: '*' });
      expect(Number(count)).toBe(2999);
    });

    it('stores a retried log export once', async () => {
      const records = [logRecord('completed'), logRecord('scored')];
      expect(await store.insertLogs(records)).toEqual(records);

      const retry = [
        ...records,
        // Any difference in what a record says makes it another record.
        logRecord('completed', { severityNumber: 13 }),
        logRecord('completed', { attributes: {} }),
        logRecord('completed', { timeUnixNano: '1796299200029920899' }),
        logRecord('completed', { spanId: undefined }),
        logRecord('completed', { resourceAttributes: {} }),
      ];
      // The observed time says when a collector read it, not what it is.
      const again = logRecord('scored', {
        observedTimeUnixNano: '1796299201000000000',
      });

      expect(await store.insertLogs([...retry, again])).toEqual(retry.slice(2));
      const [{ count }] = await knex('logs').count({ count: '*' });
      expect(Number(count)).toBe(7);
    });
  },
);

describe('DatabaseTelemetryStore on a SQLite file', () => {
  let file: ReturnType<typeof sqliteFileDatabase>;

  beforeEach(() => {
    file = sqliteFileDatabase('observability');
  });

  afterEach(async () => {
    await file.remove();
  });

  it('writes through a write-ahead log without waiting for the disk', async () => {
    const store = await DatabaseTelemetryStore.create(file);
    const knex = await file.database.getClient();

    expect(await store.insertSpans([span(3, 1)])).toHaveLength(1);
    // A retried export stores nothing new.
    expect(await store.insertSpans([span(3, 1)])).toEqual([]);
    expect(await knex('spans').count({ rows: '*' })).toEqual([{ rows: 1 }]);
    expect(await knex.raw('PRAGMA journal_mode')).toEqual([
      { journal_mode: 'wal' },
    ]);
    // 1 is NORMAL; SQLite's default is 2, FULL.
    expect(await knex.raw('PRAGMA synchronous')).toEqual([{ synchronous: 1 }]);
  });

  it('leaves an in-memory database as it is', async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseTelemetryStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });

    expect(await knex.raw('PRAGMA journal_mode')).toEqual([
      { journal_mode: 'memory' },
    ]);
    expect(await knex.raw('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
  });
});
