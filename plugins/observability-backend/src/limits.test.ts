import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { observabilityPlugin } from './plugin';

/*
 * Each limit on what a caller sends or asks for, set low in config and
 * crossed by one: the answer names the limit, and nothing over it is
 * stored.
 */

jest.setTimeout(60_000);

const SERVICE = mockCredentials.service.header();
const USER = mockCredentials.user.header();
const START_NANOS = 1796299200000000000n;

function spanExport(spans: number, attributes: Record<string, string> = {}) {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'limit-test' } },
          ],
        },
        scopeSpans: [
          {
            spans: Array.from({ length: spans }, (_, i) => ({
              traceId: (i + 1).toString(16).padStart(32, '0'),
              spanId: (i + 1).toString(16).padStart(16, '0'),
              name: 'GET /',
              kind: 2,
              startTimeUnixNano: String(START_NANOS + BigInt(i)),
              endTimeUnixNano: String(START_NANOS + BigInt(i) + 1000n),
              attributes: Object.entries(attributes).map(([key, value]) => ({
                key,
                value: { stringValue: value },
              })),
            })),
          },
        ],
      },
    ],
  };
}

const WINDOW = 'from=2026-12-03T00:00:00Z&to=2026-12-04T00:00:00Z';

async function start(observability: Record<string, unknown>) {
  const backend = await startTestBackend({
    features: [
      observabilityPlugin,
      mockServices.rootConfig.factory({
        data: {
          observability: {
            ...observability,
            trafficGenerator: { enabled: false },
          },
        },
      }),
    ],
  });
  return backend;
}

describe('limits of the observability engine', () => {
  let backend: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    backend = await start({
      ingest: {
        maxBodyBytes: 4000,
        maxItemsPerExport: 5,
        maxAttributesPerItem: 3,
        maxAttributeValueLength: 20,
      },
      query: { maxPageSize: 50, maxWindowDays: 2 },
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const exportSpans = (body: unknown) =>
    request(backend.server)
      .post('/api/observability/v1/traces')
      .set('Authorization', SERVICE)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));

  const storedTraces = async () => {
    const response = await request(backend.server)
      .get(`/api/observability/traces?service=limit-test&${WINDOW}&limit=50`)
      .set('Authorization', USER);
    expect(response.status).toBe(200);
    return response.body.traces.length;
  };

  it('refuses a body over maxBodyBytes with 413', async () => {
    const response = await request(backend.server)
      .post('/api/observability/v1/traces')
      .set('Authorization', SERVICE)
      .set('Content-Type', 'application/json')
      .send('x'.repeat(4001));

    expect(response.status).toBe(413);
  });

  it('refuses a gzip body over maxBodyBytes once decompressed with 413', async () => {
    // 40 kB that compress to well under the 4000-byte limit.
    const body = gzipSync(Buffer.alloc(40_000));
    expect(body.length).toBeLessThan(4000);

    const response = await request(backend.server)
      .post('/api/observability/v1/traces')
      .set('Authorization', SERVICE)
      .set('Content-Type', 'application/x-protobuf')
      .set('Content-Encoding', 'gzip')
      .send(body);

    expect(response.body.error.message).toMatch(/once decompressed/);
    expect(response.status).toBe(413);
  });

  it('refuses an export over maxItemsPerExport whole with 413', async () => {
    const response = await exportSpans(spanExport(6));

    expect(response.status).toBe(413);
    expect(response.body.error.message).toBe(
      'The export has 6 items, over observability.ingest.maxItemsPerExport (5)',
    );
    expect(await storedTraces()).toBe(0);
  });

  it('leaves out items over maxAttributesPerItem and counts them rejected', async () => {
    const response = await exportSpans(
      spanExport(2, { a: '1', b: '2', c: '3', d: '4' }),
    );

    expect(response.status).toBe(200);
    expect(response.body.partialSuccess).toEqual({
      rejectedSpans: '2',
      errorMessage:
        'A span has 4 attributes, over observability.ingest.maxAttributesPerItem (3)',
    });
    expect(await storedTraces()).toBe(0);
  });

  it('leaves out items over maxAttributeValueLength and keeps the rest', async () => {
    const long = await exportSpans(spanExport(1, { note: 'x'.repeat(21) }));
    expect(long.body.partialSuccess).toEqual({
      rejectedSpans: '1',
      errorMessage:
        "A span has attribute 'note' is longer than observability.ingest.maxAttributeValueLength (20)",
    });

    const fitting = await exportSpans(spanExport(1, { note: 'x'.repeat(20) }));
    expect(fitting.body).toEqual({});
    expect(await storedTraces()).toBe(1);
  });

  it('refuses a page over maxPageSize with 400 naming the limit', async () => {
    const response = await request(backend.server)
      .get(`/api/observability/logs?${WINDOW}&limit=51`)
      .set('Authorization', USER);

    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(
      'Invalid limit: 51 is over observability.query.maxPageSize (50)',
    );
  });

  it.each([
    ['/traces', 'from=2026-11-01T00:00:00Z&to=2026-11-04T00:00:01Z'],
    ['/logs', 'from=2026-11-01T00:00:00Z&to=2026-11-04T00:00:01Z'],
    ['/performance/overview', 'from=2026-11-01T00:00:00Z'],
    ['/service-graph', 'from=2020-01-01T00:00:00Z'],
    ['/metrics/points', 'from=2026-11-01T00:00:00Z&to=2026-11-03T00:00:01Z'],
    ['/business/metrics', 'from=2026-11-01T00:00:00Z&to=2026-11-04T00:00:00Z'],
    [
      '/security/dashboard',
      'from=2026-11-01T00:00:00Z&to=2026-11-04T00:00:00Z',
    ],
  ])('refuses a window over maxWindowDays on %s with 400', async (path, q) => {
    const response = await request(backend.server)
      .get(`/api/observability${path}?${q}`)
      .set('Authorization', USER);

    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(
      /over observability.query.maxWindowDays \(2\)/,
    );
  });

  it('answers a window of exactly maxWindowDays', async () => {
    const response = await request(backend.server)
      .get(
        '/api/observability/logs?from=2026-11-01T00:00:00Z&to=2026-11-03T00:00:00Z',
      )
      .set('Authorization', USER);

    expect(response.status).toBe(200);
  });
});
