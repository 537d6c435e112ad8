#!/usr/bin/env node
/*
 * Measures how long a breach takes to reach Alertmanager: from the start of
 * the OTLP export that carries the breaching spans to the moment a real
 * prometheus-alertmanager serves the alert on /api/v2/alerts. The engine
 * runs as the standalone observability service (`backstage-cli package
 * start`, SQLite) with its default evaluation interval and default SLOs;
 * no rule is added. Writes the result to docs/benchmarks.md.
 *
 *   node scripts/bench-alerts.mjs [--runs 100]
 *
 * Each run breaches with a service of its own (100% errors), so every run
 * raises a new alert: the availability SLO's 14.4x page.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchmarkSection } from './lib/benchmarks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const POLL_MS = 10;
const INGEST_TOKEN = 'bench-ingest-token';
const READ_TOKEN = 'bench-read-token';

const runsIndex = process.argv.indexOf('--runs');
const runs = runsIndex > -1 ? Number(process.argv[runsIndex + 1]) : 100;
if (!Number.isInteger(runs) || runs < 1) {
  console.error(
    `--runs must be a positive whole number, not '${
      process.argv[runsIndex + 1]
    }'`,
  );
  process.exit(2);
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

async function freePort() {
  const server = createServer();
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise(resolve => server.close(resolve));
  return port;
}

async function waitFor(url, what, child) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      break;
    }
    try {
      if ((await fetch(url)).ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${what} did not become ready at ${url}`);
}

/**
 * Failed requests in one breaching export: the default
 * observability.slos.minRequests (200), below which a burn-rate tier does
 * not page however high the rate.
 */
const FAILED_REQUESTS = 200;

/** One export: FAILED_REQUESTS failed requests of the service in us-east-1. */
function breachingExport(run, service, nowMs) {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: service } },
            { key: 'cloud.region', value: { stringValue: 'us-east-1' } },
          ],
        },
        scopeSpans: [
          {
            spans: Array.from({ length: FAILED_REQUESTS }, (_, i) => {
              const start = BigInt(nowMs - 1000 + i * 4) * 1_000_000n;
              const id = [
                run.toString(16).padStart(4, '0'),
                i.toString(16).padStart(2, '0'),
                (nowMs % 2 ** 40).toString(16).padStart(10, '0'),
              ].join('');
              return {
                traceId: id.repeat(2),
                spanId: id,
                kind: 2,
                name: 'GET /api/quizzes',
                startTimeUnixNano: String(start),
                endTimeUnixNano: String(start + 4_000_000n),
                status: { code: 2 },
                attributes: [
                  {
                    key: 'http.response.status_code',
                    value: { intValue: 503 },
                  },
                ],
              };
            }),
          },
        ],
      },
    ],
  };
}

function percentile(sorted, p) {
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

const workDir = mkdtempSync(join(tmpdir(), 'tms-bench-alerts-'));
const children = [];
const stopAll = () => {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
};
process.once('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    stopAll();
    process.exit(1);
  });
}

try {
  const amPort = await freePort();
  const amUrl = `http://127.0.0.1:${amPort}`;
  writeFileSync(
    join(workDir, 'alertmanager.yml'),
    'route:\n  receiver: nobody\n  group_wait: 0s\nreceivers:\n  - name: nobody\n',
  );
  const alertmanager = spawn(
    ALERTMANAGER,
    [
      `--config.file=${join(workDir, 'alertmanager.yml')}`,
      `--storage.path=${join(workDir, 'alertmanager')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
    ],
    { detached: true, stdio: 'ignore' },
  );
  children.push(alertmanager);
  await waitFor(`${amUrl}/-/ready`, 'Alertmanager', alertmanager);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const override = join(workDir, 'app-config.bench.yaml');
  writeFileSync(
    override,
    JSON.stringify({
      backend: {
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        database: {
          client: 'better-sqlite3',
          connection: { directory: join(workDir, 'data') },
        },
      },
      observability: { alerts: { alertmanager: { url: amUrl } } },
    }),
  );
  // Kept when the environment names a file: slow runs are explained there.
  const logFile = process.env.TMS_BENCH_SERVICE_LOG
    ? openSync(process.env.TMS_BENCH_SERVICE_LOG, 'w')
    : 'ignore';
  console.log('Starting the observability service');
  const service = spawn(
    process.execPath,
    [
      join(root, 'node_modules/@backstage/cli/bin/backstage-cli'),
      'package',
      'start',
      '--config',
      'app-config.yaml',
      '--config',
      override,
    ],
    {
      cwd: join(root, 'packages/observability-service'),
      env: {
        ...process.env,
        TMS_OBSERVABILITY_INGEST_TOKEN: INGEST_TOKEN,
        TMS_OBSERVABILITY_READ_TOKEN: READ_TOKEN,
      },
      detached: true,
      stdio: ['ignore', logFile, logFile],
    },
  );
  children.push(service);
  await waitFor(`${baseUrl}/health`, 'The observability service', service);

  const amVersion = (await (await fetch(`${amUrl}/api/v2/status`)).json())
    .versionInfo.version;

  const latencies = [];
  // One run more than measured: the first warms up the engine's queries.
  for (let run = 0; run <= runs; run++) {
    const name = `bench-service-${run}`;
    const startedAt = performance.now();
    const response = await fetch(`${baseUrl}/v1/traces`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${INGEST_TOKEN}`,
      },
      body: JSON.stringify(breachingExport(run, name, Date.now())),
    });
    if (!response.ok) {
      throw new Error(
        `Ingest answered ${response.status}: ${await response.text()}`,
      );
    }

    const filter = encodeURIComponent(`service="${name}"`);
    for (;;) {
      const alerts = await (
        await fetch(`${amUrl}/api/v2/alerts?filter=${filter}`)
      ).json();
      if (alerts.length > 0) {
        break;
      }
      if (performance.now() - startedAt > 60_000) {
        throw new Error(`No alert for ${name} in Alertmanager after 60 s`);
      }
      await sleep(POLL_MS);
    }
    const ms = performance.now() - startedAt;
    if (run > 0) {
      latencies.push(ms);
    }
    console.log(
      `run ${run}${run === 0 ? ' (warm-up)' : ''}: ${ms.toFixed(0)} ms`,
    );
  }

  const [load1] = loadavg();
  const sorted = [...latencies].sort((a, b) => a - b);
  const s = ms => `${(ms / 1000).toFixed(2)} s`;
  const p99 = percentile(sorted, 99);
  const body = [
    `Time from the start of an OTLP/JSON export of breaching spans (${FAILED_REQUESTS} failed`,
    `requests of a new service in us-east-1, the default minimum for a page) to a real Alertmanager`,
    `(${amVersion}, Debian's prometheus-alertmanager) serving the alert on`,
    `/api/v2/alerts, polled every ${POLL_MS} ms. The standalone observability service`,
    `(\`backstage-cli package start\`, SQLite) runs the default evaluation`,
    `interval (1 s) and the default SLOs: the alert is the availability SLO's`,
    `14.4x page. ${runs} runs after one warm-up, on ${cpus().length} cores`,
    `(${cpus()[0]?.model?.trim() ?? 'unknown CPU'}), Node ${process.version};`,
    `load average ${load1.toFixed(1)} at the end (the machine is shared).`,
    '',
    '| p50 | p95 | p99 | max | target (p99) |',
    '| --- | --- | --- | --- | --- |',
    `| ${s(percentile(sorted, 50))} | ${s(percentile(sorted, 95))} | ${s(
      p99,
    )} | ${s(sorted[sorted.length - 1])} | ≤ 2 s: ${
      p99 <= 2000 ? 'met' : 'missed'
    } |`,
    '',
  ].join('\n');
  writeBenchmarkSection('alerts', {
    title: 'Alert latency: breach to Alertmanager',
    command: 'yarn bench:alerts',
    body,
  });
  console.log(body);
} finally {
  // Alertmanager writes its state on SIGTERM: the folder goes once it and
  // the observability service have exited (or after 5 s in any case).
  const exited = children
    .filter(child => child.exitCode === null && child.signalCode === null)
    .map(child => new Promise(resolve => child.once('exit', resolve)));
  stopAll();
  await Promise.race([Promise.all(exited), sleep(5000)]);
  rmSync(workDir, { recursive: true, force: true });
}
