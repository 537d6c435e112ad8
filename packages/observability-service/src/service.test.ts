import { BackendProcess } from '@internal/backend-test-process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const PACKAGE_DIR = resolve(__dirname, '..');
const CORPUS = resolve(__dirname, '../../../../shared/corpus/otlp/examples');

const INGEST_TOKEN = randomBytes(24).toString('base64url');
const READ_TOKEN = randomBytes(24).toString('base64url');

jest.setTimeout(180_000);

/*
 * The standalone TMS observability service, started as `yarn
 * start:observability` starts it, with the engine's routes at its root.
 */
describe('the observability service', () => {
  let service: BackendProcess;

  beforeAll(async () => {
    service = BackendProcess.start({
      packageDir: PACKAGE_DIR,
      configFiles: [resolve(PACKAGE_DIR, 'app-config.yaml')],
      config: {
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
      },
      env: {
        TMS_OBSERVABILITY_INGEST_TOKEN: INGEST_TOKEN,
        TMS_OBSERVABILITY_READ_TOKEN: READ_TOKEN,
      },
    });
    await service.waitUntilReady();
  });

  afterAll(async () => {
    await service?.stop();
  });

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${service.baseUrl}${path}`, init);

  it('answers health at its root and under the plugin path', async () => {
    const [root, plugin] = await Promise.all([
      call('/health'),
      call('/api/observability/health'),
    ]);

    expect(root.status).toBe(200);
    expect(await root.json()).toEqual({
      status: 'ok',
      database: 'ok',
      notifications: { status: 'ok', pending: 0, failing: [] },
    });
    expect(plugin.status).toBe(200);
  });

  it('takes OTLP at /v1/traces and serves the trace at /traces', async () => {
    const exported = await call('/v1/traces', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${INGEST_TOKEN}`,
      },
      body: readFileSync(resolve(CORPUS, 'trace.json'), 'utf8'),
    });
    expect(exported.status).toBe(200);

    const trace = await call('/traces/5b8efff798038103d269b633813fc60c', {
      headers: { Authorization: `Bearer ${READ_TOKEN}` },
    });
    expect(trace.status).toBe(200);
    expect((await trace.json()).spans).toHaveLength(1);
  });

  it('refuses reads without a token and with a wrong one', async () => {
    const [none, wrong] = await Promise.all([
      call('/traces'),
      call('/traces', { headers: { Authorization: 'Bearer not-a-token' } }),
    ]);

    expect(none.status).toBe(401);
    expect(wrong.status).toBe(401);
  });

  it('keeps each token to its purpose: the exporters cannot read, readers cannot send', async () => {
    const [readWithIngestToken, sendWithReadToken] = await Promise.all([
      call('/traces', { headers: { Authorization: `Bearer ${INGEST_TOKEN}` } }),
      call('/v1/traces', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${READ_TOKEN}`,
        },
        body: JSON.stringify({ resourceSpans: [] }),
      }),
    ]);

    expect(readWithIngestToken.status).toBe(403);
    expect((await readWithIngestToken.json()).error.message).toBe(
      "The service 'tms-services' may not read telemetry; observability.query.allowedServices names who may",
    );
    expect(sendWithReadToken.status).toBe(403);
    expect((await sendWithReadToken.json()).error.message).toMatch(
      /^The service 'tms-automation' may not send telemetry/,
    );
  });
});
