#!/usr/bin/env node
/*
 * The soak: the observability and zero-trust engines in a backend of their
 * own (plugins/zero-trust-backend/bench/server.ts, real static-token auth,
 * SQLite files) under 10,000 spans/s of OTLP exports and 1,000 decisions/s
 * at once, for a configurable time, and writes its section of
 * docs/benchmarks.md.
 *
 *   node scripts/soak.mjs [--minutes 10] [--spans 10000] [--decisions 1000]
 *
 * Reports the answers by status (the goal: no 5xx at all), the memory of
 * the backend after warm-up (the first fifth of the run) against its end,
 * and the event loop's delay p99 measured inside the backend
 * (scripts/lib/soak-probe.cjs) every 5 seconds.
 */
import { spawn } from 'node:child_process';
import {
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeBenchmarkSection } from './lib/benchmarks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const transform = '@backstage/cli/config/nodeTransform.cjs';

const { values: args } = (() => {
  try {
    return parseArgs({
      options: {
        minutes: { type: 'string' },
        spans: { type: 'string' },
        decisions: { type: 'string' },
      },
    });
  } catch (error) {
    // node:util names the option, for example "Unknown option '--minuts'".
    console.error(
      `${error.message}; usage: yarn soak [--minutes 10] ` +
        '[--spans 10000] [--decisions 1000]',
    );
    return process.exit(2);
  }
})();

/** A positive number up to `max`, or the run ends with one line. */
function argument(name, fallback, max) {
  const text = args[name];
  if (text === undefined) {
    return fallback;
  }
  const value = Number(text);
  if (!(value > 0 && value <= max)) {
    console.error(
      `--${name} must be a number above 0 and at most ${max}, not '${text}'`,
    );
    process.exit(2);
  }
  return value;
}

// A day at most: timers hold no more than about 24.8 days, and nobody
// means to soak for longer.
const minutes = argument('minutes', 10, 24 * 60);
const spanRate = argument('spans', 10_000, 1_000_000);
const decisionRate = argument('decisions', 1_000, 100_000);
const port = Number(process.env.TMS_SOAK_PORT ?? 7041);
const TOKEN = `soak-token-${process.pid}-0123456789`;
const SPANS_PER_EXPORT = 100;
/** How often the backend's probe (scripts/lib/soak-probe.cjs) reports. */
const PROBE_INTERVAL_MS = 5000;
const exportRate = spanRate / SPANS_PER_EXPORT;

const sleep = ms => new Promise(r => setTimeout(r, ms));
const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

/** Longer than this and a request counts as timed out (status -1). */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Sends one request; resolves with its status, the error's code (for
 * example ECONNRESET) when the connection failed, and -1 when no answer
 * came within REQUEST_TIMEOUT_MS.
 */
function send(path, payload) {
  return new Promise(resolve => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          authorization: `Bearer ${TOKEN}`,
        },
      },
      res => {
        res.resume();
        res.on('end', () => {
          clearTimeout(timer);
          resolve(res.statusCode);
        });
      },
    );
    // Measured from sending, queueing in the agent included.
    const timer = setTimeout(() => {
      req.destroy();
      resolve(-1);
    }, REQUEST_TIMEOUT_MS);
    req.on('error', error => {
      clearTimeout(timer);
      resolve(error.code ?? 'connection error');
    });
    req.end(payload);
  });
}

const services = ['api-gateway', 'quiz-service', 'payment-service'];
const regions = ['eu-west-1', 'us-east-1', 'ap-southeast-1'];

/** One export of one trace of SPANS_PER_EXPORT spans, ids from `n`. */
function spanExport(n) {
  const traceId = n.toString(16).padStart(32, '0');
  const start = BigInt(Date.now()) * 1_000_000n;
  const spans = [];
  for (let i = 0; i < SPANS_PER_EXPORT; i++) {
    const begin = start + BigInt(i) * 100_000n;
    spans.push(
      `{"traceId":"${traceId}","spanId":"${(n * SPANS_PER_EXPORT + i)
        .toString(16)
        .padStart(16, '0')}","name":"GET /v1/items","kind":2,` +
        `"startTimeUnixNano":"${begin}","endTimeUnixNano":"${
          begin + 5_000_000n
        }","attributes":[{"key":"http.response.status_code",` +
        `"value":{"intValue":"${i % 50 === 0 ? 500 : 200}"}}]}`,
    );
  }
  return (
    `{"resourceSpans":[{"resource":{"attributes":[` +
    `{"key":"service.name","value":{"stringValue":"${
      services[n % 3]
    }"}},{"key":"cloud.region","value":{"stringValue":"${
      regions[n % 3]
    }"}}]},"scopeSpans":[{"spans":[${spans.join(',')}]}]}]}`
  );
}

function decision(n) {
  return JSON.stringify({
    subject: {
      user: `user${n % 500}@tms.example.com`,
      roles: ['user'],
      mfa: n % 3 === 0,
    },
    resource: { service: 'quiz-service', path: `/v1/quizzes/${n % 100}` },
    action: n % 10 === 0 ? 'POST' : 'GET',
    context: { clientAddress: `172.16.${(n >> 8) & 255}.${n & 255}` },
  });
}

/**
 * Sends `rate` requests a second until `endAt`, each timed from when it
 * was due; resolves with statuses and latencies.
 */
function openLoop(rate, endAt, path, body) {
  const statuses = new Map();
  const latencies = [];
  const start = performance.now();
  let sent = 0;
  let pending = 0;

  return new Promise(resolve => {
    const pump = () => {
      const now = performance.now();
      const owed = Math.floor(((now - start) * rate) / 1000) + 1;
      for (; sent < owed && now < endAt; sent++) {
        const due = start + (sent * 1000) / rate;
        pending += 1;
        send(path, body(sent)).then(status => {
          latencies.push(performance.now() - due);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          pending -= 1;
        });
      }
      if (now < endAt) {
        setTimeout(pump, 2);
        return;
      }
      const wait = () =>
        pending === 0
          ? resolve({
              sent,
              statuses,
              latencies,
              seconds: (now - start) / 1000,
            })
          : setTimeout(wait, 50);
      wait();
    };
    pump();
  });
}

function summary(result) {
  const sorted = Float64Array.from(result.latencies).sort();
  const at = p =>
    sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const statuses = Object.fromEntries(
    [...result.statuses].sort(([a], [b]) => String(a).localeCompare(b)),
  );
  const count = keep =>
    [...result.statuses]
      .filter(([status]) => keep(status))
      .reduce((sum, [, n]) => sum + n, 0);
  return {
    sent: result.sent,
    perSecond: result.sent / result.seconds,
    statuses,
    failed: count(status => status >= 500 || typeof status === 'string'),
    timedOut: count(status => status === -1),
    p50: at(0.5),
    p99: at(0.99),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'tms-soak-'));
const probeFile = join(dir, 'probe.ndjson');
const configFile = join(dir, 'app-config.yaml');
writeFileSync(
  configFile,
  `backend:
  baseUrl: http://127.0.0.1:${port}
  listen: { port: ${port}, host: 127.0.0.1 }
  # As in app-config.production.yaml: idle connections are not closed
  # under a client that is about to reuse them.
  server:
    keepAliveTimeout: { seconds: 65 }
    headersTimeout: { seconds: 66 }
  database:
    client: better-sqlite3
    connection: { directory: ${JSON.stringify(join(dir, 'data'))} }
  auth:
    externalAccess:
      - type: static
        options: { token: ${TOKEN}, subject: soak }
zeroTrust:
  policiesFile: ${join(
    root,
    'deploy/platform/zero-trust/zero-trust-policies.yaml',
  )}
`,
);

console.log('Starting the engines in a backend of their own');
// For finding what holds the event loop: TMS_SOAK_BACKEND_NODE_OPTIONS
// (for example '--trace-gc' or '--cpu-prof') go to the backend's node,
// and its standard output to TMS_SOAK_BACKEND_LOG when that is set.
const backendLog = process.env.TMS_SOAK_BACKEND_LOG;
const server = spawn(
  'node',
  [
    ...(process.env.TMS_SOAK_BACKEND_NODE_OPTIONS ?? '')
      .split(' ')
      .filter(Boolean),
    '--require',
    transform,
    '--require',
    join(root, 'scripts/lib/soak-probe.cjs'),
    join(root, 'plugins/zero-trust-backend/bench/server.ts'),
    '--config',
    configFile,
  ],
  {
    cwd: root,
    stdio: [
      'ignore',
      backendLog ? openSync(backendLog, 'w') : 'ignore',
      'inherit',
    ],
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      TMS_SOAK_PROBE_FILE: probeFile,
      TMS_SOAK_PROBE_INTERVAL_MS: String(PROBE_INTERVAL_MS),
    },
  },
);
const exited = new Promise(resolve => server.on('exit', resolve));
// Interrupted, the backend goes with the soak.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.kill('SIGKILL');
    process.exit(1);
  });
}

let result;
let startedAt = 0;
try {
  for (let i = 0; ; i++) {
    if ((await send('/api/zero-trust/decisions', decision(0))) === 200) {
      break;
    }
    if (i > 600) {
      throw new Error('the backend did not start answering');
    }
    await sleep(250);
  }

  console.log(
    `Soaking: ${spanRate} spans/s (${exportRate} exports of ` +
      `${SPANS_PER_EXPORT}) and ${decisionRate} decisions/s for ${minutes} min`,
  );
  const endAt = performance.now() + minutes * 60_000;
  startedAt = Date.now();
  // The first fifth of the run warms up; the probe measures the event
  // loop over the rest from this signal on.
  const warmUp = setTimeout(
    () => server.kill('SIGUSR2'),
    (minutes * 60_000) / 5,
  );
  const [spans, decisions] = await Promise.all([
    openLoop(exportRate, endAt, '/api/observability/v1/traces', spanExport),
    openLoop(
      decisionRate,
      endAt,
      '/api/zero-trust/decisions?explain=false',
      decision,
    ),
  ]);
  clearTimeout(warmUp);
  result = {
    spans: summary(spans),
    decisions: summary(decisions),
    probes: readFileSync(probeFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(line => JSON.parse(line))
      .filter(p => p.at >= startedAt),
  };
} finally {
  agent.destroy();
  server.kill('SIGTERM');
  await exited;
  rmSync(dir, { recursive: true, force: true });
}

const { probes } = result;
// The windows that began after warm-up (the first fifth of the run).
const warmUpEndsAt = startedAt + (minutes * 60_000) / 5;
const warm = probes.filter(p => p.at - PROBE_INTERVAL_MS >= warmUpEndsAt);
const mb = bytes => (bytes / 1024 / 1024).toFixed(0);
const mean = values => values.reduce((a, b) => a + b, 0) / values.length;
const quarter = Math.max(1, Math.floor(warm.length / 4));
const rssAfterWarmUp = mean(warm.slice(0, quarter).map(p => p.rssBytes));
const rssAtEnd = mean(warm.slice(-quarter).map(p => p.rssBytes));
const heapAfterWarmUp = mean(warm.slice(0, quarter).map(p => p.heapUsedBytes));
const heapAtEnd = mean(warm.slice(-quarter).map(p => p.heapUsedBytes));
const loopP99 = Math.max(...warm.map(p => p.loopDelayP99Ms));
// When in the run the loop was held longest: the windows over the target.
const slowWindows = warm
  .filter(p => p.loopDelayP99Ms >= 20)
  .map(
    p =>
      `${((p.at - startedAt) / 1000).toFixed(
        0,
      )} s (p99 ${p.loopDelayP99Ms.toFixed(
        0,
      )} ms, longest ${p.loopDelayMaxMs.toFixed(0)} ms)`,
  );
const loopP99Median = warm.map(p => p.loopDelayP99Ms).sort((a, b) => a - b)[
  Math.floor(warm.length / 2)
];
// The whole run after warm-up, as one histogram: the last probe's reading.
const sinceWarmUp = probes.findLast(p => p.sinceWarmUpLoopDelayP99Ms >= 0);
if (!sinceWarmUp) {
  throw new Error('the backend measured no event-loop delay after warm-up');
}

const row = (name, s) =>
  `| ${name} | ${s.sent} | ${s.perSecond.toFixed(0)} | ${JSON.stringify(
    s.statuses,
  ).replace(/"/g, '')} | ${s.failed} | ${s.timedOut} | ${s.p50.toFixed(
    1,
  )} | ${s.p99.toFixed(1)} |`;
const shorter =
  minutes < 10
    ? `\n**This run lasted ${minutes} minute${minutes === 1 ? '' : 's'}, ` +
      `shorter than the 10 minutes ` +
      `the soak is meant to run** (\`yarn soak --minutes 10\`).\n`
    : '';
const body = `Machine: ${cpus().length} × ${
  cpus()[0].model
}, load ${loadavg()[0].toFixed(
  1,
)} at the end (shared with other work). One backend process with the
observability and zero-trust engines on SQLite files, static-token auth;
spans as OTLP/JSON exports of ${SPANS_PER_EXPORT} spans. Latency is timed
from when each request was due (open loop), in ms; status -1 is a request
with no answer within ${REQUEST_TIMEOUT_MS / 1000} s, and a name such as
ECONNRESET a connection that failed before any answer.
${shorter}
| Load | Requests | Per second | Statuses | 5xx or failed | Timed out (${
  REQUEST_TIMEOUT_MS / 1000
} s) | p50 | p99 |
| ---- | -------- | ---------- | -------- | ------------- | --------- | --- | --- |
${row(`Span exports (${spanRate} spans/s)`, result.spans)}
${row(`Decisions (${decisionRate}/s)`, result.decisions)}

Spans acknowledged per second of the run: ${(
  ((result.spans.statuses[200] ?? 0) * SPANS_PER_EXPORT) /
  (minutes * 60)
).toFixed(0)} (target ${spanRate}).

Memory after warm-up (the first fifth of the run) against the last quarter:
RSS ${mb(rssAfterWarmUp)} MB → ${mb(rssAtEnd)} MB, heap used
${mb(heapAfterWarmUp)} MB → ${mb(heapAtEnd)} MB (${
  probes.length
} samples, 5 s apart).

Event-loop delay inside the backend (how late its 10 ms timer fired,
the interval itself not counted), over the whole run after warm-up
(${((sinceWarmUp.at - startedAt) / 1000 - (minutes * 60) / 5).toFixed(
  0,
)} s): **p99 ${sinceWarmUp.sinceWarmUpLoopDelayP99Ms.toFixed(1)} ms** (target
under 20 ms: ${
  sinceWarmUp.sinceWarmUpLoopDelayP99Ms < 20 ? 'met' : '**missed**'
}), p99.9 ${sinceWarmUp.sinceWarmUpLoopDelayP999Ms.toFixed(
  1,
)} ms, longest ${sinceWarmUp.sinceWarmUpLoopDelayMaxMs.toFixed(0)} ms.
Per 5 s window: p99 median ${loopP99Median.toFixed(
  1,
)} ms, worst window ${loopP99.toFixed(1)} ms.
${
  slowWindows.length > 0
    ? `Windows over the target after warm-up (${slowWindows.length} of ${
        warm.length
      }), by their end in the run: ${slowWindows.join('; ')}.\n`
    : ''
}
What holds the loop, found with \`TMS_SOAK_BACKEND_NODE_OPTIONS=--trace-gc\`
and a heap sampling profile of what lived long enough to be promoted: the
windows over 20 ms fall on V8's major collections (mark-compact), which come
more often the more short-lived objects outlive two scavenges. Exports used
to queue for SQLite's one connection inside knex transactions, and each
transaction's objects and the export waiting with it were promoted; since
ingest writes on the pooled connection directly (inSqliteWriteTransaction),
what the decisions keep for dry runs and security events (a quarter of a
second each) is most of what remains.
`;

console.log(body);
writeBenchmarkSection('soak', {
  title: 'Soak: spans and decisions together',
  command: `yarn soak --minutes ${minutes}`,
  body,
});
