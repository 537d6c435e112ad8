import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import fc from 'fast-check';
import { LogRecord } from '../otlp/readLogsRequest';
import { SpanRecord } from '../otlp/readTraceRequest';
import { DatabaseTelemetryStore } from '../database/DatabaseTelemetryStore';

/*
 * Search text with SQL, LIKE, regex and wildcard metacharacters is plain
 * text: a log matches when its body contains the text (ignoring case), a
 * trace when its service is the name asked for, on both databases.
 */

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const BASE_NANOS = 1796299200000000000n;
const WINDOW = {
  fromMs: Number(BASE_NANOS / 1_000_000n) - 1000,
  toMs: Number(BASE_NANOS / 1_000_000n) + 3_600_000,
};

/** Characters that mean something to SQL, LIKE, regexes or globs. */
const META = [
  '%',
  '_',
  "'",
  '"',
  '\\',
  '.',
  '*',
  '[',
  ']',
  '^',
  '$',
  '(',
  ')',
  '?',
  '+',
  '|',
  '-',
  ';',
  ' ',
];
const text = fc
  .array(fc.constantFrom(...META, 'a', 'B', 'c', 'x', '1'), {
    minLength: 1,
    maxLength: 8,
  })
  .map(chars => chars.join(''));

const FIXED_NEEDLES = [
  '%',
  '_',
  "'",
  '\\',
  '.*',
  "' OR '1'='1",
  "'; DROP TABLE logs; --",
  '100%_done',
  'a\\%b',
  '[a-z]',
];

function logRecord(index: number, body: string, service = 'quiz-service') {
  return {
    timeUnixNano: String(BASE_NANOS + BigInt(index) * 1_000_000n),
    observedTimeUnixNano: String(BASE_NANOS + BigInt(index) * 1_000_000n),
    severityNumber: 9,
    severityText: 'INFO',
    body,
    attributes: {},
    service,
    region: 'eu-west-1',
    resourceAttributes: { 'service.name': service },
    scope: { name: 'tms', version: '1.0.0' },
  } as LogRecord;
}

function span(index: number, service: string): SpanRecord {
  const start = BASE_NANOS + BigInt(index) * 1_000_000n;
  return {
    traceId: (index + 1).toString(16).padStart(32, '0'),
    spanId: (index + 1).toString(16).padStart(16, '0'),
    name: 'GET /',
    kind: 2,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 1_000_000n),
    statusCode: 0,
    statusMessage: '',
    attributes: {},
    events: [],
    links: [],
    service,
    region: 'eu-west-1',
    resourceAttributes: { 'service.name': service },
    scope: { name: 'tms', version: '1.0.0' },
  } as unknown as SpanRecord;
}

describe.each(databases.eachSupportedId())(
  'search text as plain text on %s',
  databaseId => {
    let store: DatabaseTelemetryStore;
    let bodies: string[];

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      store = await DatabaseTelemetryStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });

      // Bodies built from the same characters as the searches, and the
      // fixed needles themselves, so that most searches have near misses.
      bodies = [
        ...FIXED_NEEDLES.map(n => `before ${n} after`),
        ...fc.sample(text, { numRuns: 200, seed: 42 }),
        'plain words only',
      ];
      await store.insertLogs(bodies.map((body, i) => logRecord(i, body)));
    });

    async function search(needle: string) {
      const page = await store.searchLogs({
        text: needle,
        ...WINDOW,
        limit: 1000,
      });
      return page.logs.map(log => String(log.body)).sort();
    }

    const expected = (needle: string) =>
      bodies
        .filter(body => body.toLowerCase().includes(needle.toLowerCase()))
        .sort();

    it.each(FIXED_NEEDLES)('finds exactly the logs containing %j', async n => {
      const found = await search(n);

      expect(found).toEqual(expected(n));
      expect(found.length).toBeGreaterThan(0);
    });

    it('agrees with a plain substring search for random texts', async () => {
      await fc.assert(
        fc.asyncProperty(text, async needle => {
          expect(await search(needle)).toEqual(expected(needle));
        }),
        { numRuns: 150 },
      );
    });

    it('matches trace services by name, never by pattern', async () => {
      const services = ['quiz_service', 'quiz%', "o'brien", 'a\\b', '.*'];
      await store.insertSpans(services.map((s, i) => span(1000 + i, s)));

      for (const service of [...services, 'quiz-service', 'quiz', '%', '_']) {
        const traces = await store.searchTraces({
          service,
          ...WINDOW,
          limit: 100,
        });

        expect([service, traces.length]).toEqual([
          service,
          services.includes(service) ? 1 : 0,
        ]);
      }
    });
  },
);
