import { BackendProcess } from '@internal/backend-test-process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

/*
 * No acknowledged span is lost: the service takes span exports from
 * several senders at once, is killed with SIGKILL in the middle of them,
 * and after a restart on the same database every span of every export it
 * answered 2xx is there. On SQLite files and on PostgreSQL.
 */

jest.setTimeout(300_000);

const PACKAGE_DIR = resolve(__dirname, '..');
const POSTGRES_URL =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const INGEST_TOKEN = randomBytes(24).toString('base64url');
const READ_TOKEN = randomBytes(24).toString('base64url');
const SPANS_PER_EXPORT = 20;
const SENDERS = 4;

function startService(database: Record<string, unknown>) {
  return BackendProcess.start({
    packageDir: PACKAGE_DIR,
    configFiles: [resolve(PACKAGE_DIR, 'app-config.yaml')],
    config: { backend: { database } },
    env: {
      TMS_OBSERVABILITY_INGEST_TOKEN: INGEST_TOKEN,
      TMS_OBSERVABILITY_READ_TOKEN: READ_TOKEN,
    },
  });
}

/** One export of one trace, with ids of its own. */
function traceExport(traceId: string) {
  const now = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'crash-test' } },
          ],
        },
        scopeSpans: [
          {
            spans: Array.from({ length: SPANS_PER_EXPORT }, (_, i) => ({
              traceId,
              spanId: randomBytes(8).toString('hex'),
              name: `step ${i}`,
              kind: 2,
              startTimeUnixNano: String(now + BigInt(i) * 1000n),
              endTimeUnixNano: String(now + BigInt(i) * 1000n + 500n),
            })),
          },
        ],
      },
    ],
  });
}

/**
 * Sends exports from several senders until the service stops answering;
 * resolves with the trace ids it acknowledged with a 2xx.
 */
function sendUntilDown(service: BackendProcess) {
  const acknowledged: string[] = [];
  let refused = 0;

  const sender = async () => {
    for (;;) {
      const traceId = randomBytes(16).toString('hex');
      try {
        const response = await fetch(`${service.baseUrl}/v1/traces`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${INGEST_TOKEN}`,
          },
          body: traceExport(traceId),
        });
        await response.arrayBuffer();
        if (response.ok) {
          acknowledged.push(traceId);
        } else {
          refused += 1;
        }
      } catch {
        // The connection failed: the service is down.
        return;
      }
    }
  };

  const done = Promise.all(Array.from({ length: SENDERS }, sender));
  return {
    acknowledged,
    done: done.then(() => ({ acknowledged, refused })),
  };
}

it('has a PostgreSQL server to kill the service on', () => {
  // ./portal test names the local server; without it the PostgreSQL case
  // below fails for want of a connection, and this says why.
  expect(POSTGRES_URL).toMatch(/^postgres(ql)?:\/\//);
});

describe.each([
  ['SQLite files', 'sqlite'],
  ['PostgreSQL', 'postgres'],
])('killing the service on %s', (_name, kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tms-kill-test-'));
  const prefix = `tms_kill_${randomBytes(4).toString('hex')}_`;
  const database =
    kind === 'sqlite'
      ? { client: 'better-sqlite3', connection: { directory: dataDir } }
      : { client: 'pg', connection: POSTGRES_URL, prefix };
  let service: BackendProcess | undefined;

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres' && POSTGRES_URL) {
      const client = new Client({ connectionString: POSTGRES_URL });
      await client.connect();
      const { rows } = await client.query(
        'select datname from pg_database where datname like $1',
        [`${prefix}%`],
      );
      for (const { datname } of rows) {
        await client.query(`drop database if exists "${datname}"`);
      }
      await client.end();
    }
  });

  it('keeps every span it acknowledged', async () => {
    const first = startService(database);
    service = first;
    await first.waitUntilReady();

    const traffic = sendUntilDown(first);
    // Let it take exports for a while, then kill it mid-stream.
    const deadline = Date.now() + 30_000;
    while (traffic.acknowledged.length < 100 && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 100));
    }
    await first.kill();
    const { acknowledged, refused } = await traffic.done;
    await first.stop();

    expect(acknowledged.length).toBeGreaterThanOrEqual(100);
    expect(refused).toBe(0);

    service = startService(database);
    await service.waitUntilReady();

    const missing: string[] = [];
    for (const traceId of acknowledged) {
      const response = await fetch(`${service.baseUrl}/traces/${traceId}`, {
        headers: { Authorization: `Bearer ${READ_TOKEN}` },
      });
      const body = response.ok ? await response.json() : undefined;
      if (body?.spans?.length !== SPANS_PER_EXPORT) {
        missing.push(`${traceId}: ${response.status} ${body?.spans?.length}`);
      }
    }

    expect(missing).toEqual([]);
  });
});
