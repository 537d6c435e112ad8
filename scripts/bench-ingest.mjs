#!/usr/bin/env node
/*
 * Measures the observability engine's OTLP ingest and writes the result to
 * docs/benchmarks.md:
 *
 *   node scripts/bench-ingest.mjs [--exports 200] [--http-seconds 20]
 *
 * 1. Payloads: the traffic generator's own OTLP exports (batches of 512
 *    spans or log records, as its batch processors send them), captured in
 *    both encodings and copied with new trace ids so that every export
 *    stores new rows. Its metric exports are grown to 512 points each.
 * 2. Throughput, per signal, encoding and database: the OtlpReceiver
 *    service called directly, one export at a time, first with a store
 *    that keeps nothing (the decode-only ceiling), then with the plugin's
 *    stores on Backstage's database service.
 * 3. Latency: the plugin in a Backstage backend (startTestBackend with the
 *    real database service) in a process of its own, sent 10,000 spans/s
 *    over HTTP at a steady pace; the backend process measures its own
 *    event-loop delay and peak RSS.
 *
 * Each measurement runs in a fresh child process (scripts/bench-ingest/
 * worker.ts) on a fresh database: a SQLite file in a temporary folder, and
 * a PostgreSQL database of its own on 127.0.0.1:5432 (override with
 * TMS_BENCH_POSTGRES, a connection object as JSON), dropped afterwards.
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeBenchmarkSection } from './lib/benchmarks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const worker = join(root, 'scripts/bench-ingest/worker.ts');
const require = (await import('node:module')).createRequire(import.meta.url);
const transform = require.resolve('@backstage/cli/config/nodeTransform.cjs');

const { values: args } = parseArgs({
  options: {
    exports: { type: 'string', default: '240' },
    'http-seconds': { type: 'string', default: '20' },
    // For working on the benchmark: skip a part (the report needs both).
    skip: { type: 'string' },
  },
});
const exportCount = Number(args.exports);
// Enough trace exports for the HTTP run and its warm-up, in two encodings.
const httpSeconds = Number(args['http-seconds']);
if (!(exportCount >= 10) || !(httpSeconds >= 5)) {
  console.error('--exports must be at least 10 and --http-seconds at least 5');
  process.exit(2);
}

const SPANS_PER_SECOND = 10_000;
const TARGETS = {
  sqliteSpans: 50_000,
  sqliteMetricPoints: 100_000,
  sqliteLogs: 50_000,
  postgresSpans: 15_000,
  p99Ms: 50,
  eventLoopP99Ms: 20,
  rssBytes: 2 ** 30,
};

const postgres = process.env.TMS_BENCH_POSTGRES
  ? JSON.parse(process.env.TMS_BENCH_POSTGRES)
  : { host: '127.0.0.1', port: 5432, user: 'postgres' };
const work = mkdtempSync(join(tmpdir(), 'tms-bench-ingest-'));
const payloads = join(work, 'payloads');
let databaseNumber = 0;

/** A fresh database: a SQLite folder, or a PostgreSQL database prefix. */
function freshDatabase(kind) {
  databaseNumber += 1;
  if (kind === 'sqlite') {
    return {
      config: {
        client: 'better-sqlite3',
        connection: { directory: join(work, `sqlite-${databaseNumber}`) },
      },
      cleanup: async () => {},
    };
  }
  // Backstage names the plugin's database <prefix>observability.
  const prefix = `tms_bench_${process.pid}_${databaseNumber}_`;
  return {
    config: { client: 'pg', connection: postgres, prefix },
    cleanup: () => dropPostgresDatabase(`${prefix}observability`),
  };
}

async function dropPostgresDatabase(name) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ ...postgres, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}"`);
  } finally {
    await client.end();
  }
}

/**
 * Runs the worker in a child process; resolves with its messages, and
 * calls onMessage for each as it comes.
 */
function runWorker(workerArgs, onMessage = () => {}, execArgv = []) {
  const child = fork(worker, workerArgs, {
    cwd: root,
    execArgv: ['--require', transform, ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages = [];
  child.on('message', message => {
    messages.push(message);
    onMessage(message, child);
  });
  return new Promise((resolve, reject) => {
    child.on('exit', code =>
      code === 0
        ? resolve(messages)
        : reject(new Error(`worker ${workerArgs[0]} exited with ${code}`)),
    );
  });
}

const rate = (items, seconds) => items / seconds;
const fmt = n => Math.round(n).toLocaleString('en-US');
const mib = bytes => `${Math.round(bytes / 2 ** 20)} MiB`;

console.log(`Capturing ${exportCount} exports per signal and encoding`);
const { generated } = (
  await runWorker(['generate', payloads, exportCount])
).find(m => m.generated);

const results = [];
for (const database of args.skip === 'throughput'
  ? []
  : ['sqlite', 'postgres']) {
  for (const signal of ['traces', 'logs', 'metrics']) {
    for (const encoding of ['protobuf', 'json']) {
      const { config, cleanup } = freshDatabase(database);
      try {
        const messages = await runWorker([
          'throughput',
          JSON.stringify(config),
          signal,
          encoding,
          payloads,
        ]);
        const result = messages.find(m => m.stored);
        if (!result) {
          throw new Error(`no result: ${JSON.stringify(messages)}`);
        }
        results.push({ database, signal, encoding, ...result });
        console.log(
          `${database} ${signal} ${encoding}: decode-only ` +
            `${fmt(rate(result.items, result.decodeOnly.seconds))}/s, ` +
            `stored ${fmt(rate(result.items, result.stored.seconds))}/s ` +
            `(${fmt(
              rate(result.items, result.stored.cpuSeconds),
            )} per CPU-second)`,
        );
      } finally {
        await cleanup();
      }
    }
  }
}

/**
 * Sends protobuf and JSON trace exports, alternately, at a steady
 * SPANS_PER_SECOND to a backend in a child process, each on its schedule
 * whether or not earlier ones have been answered. Latency runs from the
 * scheduled moment to the answer, so a backend that falls behind is
 * charged for the wait too.
 */
async function httpRun(database) {
  const { config, cleanup } = freshDatabase(database);
  const bodies = ['protobuf', 'json'].map(encoding => {
    const folder = join(payloads, encoding, 'traces');
    return execFileSync('ls', [folder], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(name => ({
        encoding,
        body: readFileSync(join(folder, name)),
      }));
  });
  const sends = bodies[0].flatMap((b, i) => [b, bodies[1][i]]);
  const perExport = generated['protobuf/traces'].items / exportCount;
  const intervalMs = (1000 * perExport) / SPANS_PER_SECOND;
  const warmUp = Math.ceil(3000 / intervalMs);
  const count = Math.min(
    sends.length - warmUp,
    Math.ceil((httpSeconds * 1000) / intervalMs),
  );

  // The next message of each kind from the backend process.
  const waiting = {};
  const next = kind => new Promise(resolve => (waiting[kind] = resolve));
  const ready = next('port');
  let stats;
  const done = runWorker(
    ['serve', JSON.stringify(config)],
    (message, child) => {
      if (message.port) waiting.port({ ...message, child });
      if (message.started) waiting.started();
      if (message.sample) waiting.sample(message.sample);
      if (message.eventLoopDelayMs) stats = message;
    },
    // For profiling the backend, e.g. TMS_BENCH_BACKEND_NODE_OPTIONS=--cpu-prof
    (process.env.TMS_BENCH_BACKEND_NODE_OPTIONS ?? '')
      .split(' ')
      .filter(Boolean),
  );

  try {
    const { port, authorization, child } = await ready;
    const url = `http://127.0.0.1:${port}/api/observability/v1/traces`;

    /** Sends exports [from, to) on schedule; resolves with their latencies. */
    const play = async (from, to) => {
      const latencies = [];
      const failures = [];
      const t0 = performance.now() + 50;
      const inFlight = [];
      for (let i = from; i < to; i++) {
        const due = t0 + (i - from) * intervalMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise(r => setTimeout(r, wait));
        const { encoding, body } = sends[i];
        inFlight.push(
          fetch(url, {
            method: 'POST',
            headers: {
              authorization,
              'content-type':
                encoding === 'json'
                  ? 'application/json'
                  : 'application/x-protobuf',
            },
            body,
          }).then(
            async response => {
              await response.arrayBuffer();
              if (response.status !== 200) failures.push(response.status);
              latencies.push(performance.now() - due);
            },
            error => failures.push(String(error)),
          ),
        );
      }
      await Promise.all(inFlight);
      return { latencies, failures, seconds: (performance.now() - t0) / 1000 };
    };

    // A fresh backend compiles its code on the first exports: three
    // seconds of the same traffic first, not measured.
    await play(0, warmUp);

    // The control: the same backend with no traffic for five seconds, to
    // tell the delay the machine's other work causes from the engine's.
    let started = next('started');
    child.send({ command: 'start' });
    await started;
    await new Promise(r => setTimeout(r, 5000));
    const sampled = next('sample');
    child.send({ command: 'sample' });
    const idle = await sampled;

    started = next('started');
    child.send({ command: 'start' });
    await started;
    const { latencies, failures, seconds } = await play(warmUp, warmUp + count);
    child.send({ command: 'stop' });
    await done;

    latencies.sort((a, b) => a - b);
    const pct = p => latencies[Math.ceil((p / 100) * latencies.length) - 1];
    return {
      database,
      exports: count,
      spans: count * perExport,
      seconds,
      failures,
      p50Ms: pct(50),
      p99Ms: pct(99),
      maxMs: latencies.at(-1),
      idleEventLoopP99Ms: idle.eventLoopDelayMs.p99,
      ...stats,
    };
  } finally {
    await cleanup();
  }
}

const http = [];
for (const database of args.skip === 'http' ? [] : ['sqlite', 'postgres']) {
  console.log(`HTTP at ${fmt(SPANS_PER_SECOND)} spans/s on ${database}`);
  const result = await httpRun(database);
  http.push(result);
  console.log(
    `  p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, ` +
      `event-loop delay p99 ${result.eventLoopDelayMs.p99.toFixed(1)} ms ` +
      `(idle: ${result.idleEventLoopP99Ms.toFixed(1)} ms), ` +
      `peak RSS ${mib(result.peakRssBytes)}, backend CPU ` +
      `${Math.round((100 * result.cpuSeconds) / result.wallSeconds)}%, ` +
      `failures ${result.failures.length}`,
  );
}
rmSync(work, { recursive: true, force: true });

// ---- The report ------------------------------------------------------

const versions = JSON.parse(
  execFileSync(
    process.execPath,
    [
      '-e',
      `const D = require('better-sqlite3');
       const db = new D(':memory:');
       console.log(JSON.stringify({ sqlite: db.prepare('select sqlite_version() v').get().v }));`,
    ],
    { cwd: root, encoding: 'utf8' },
  ),
);
{
  const { default: pg } = await import('pg');
  const client = new pg.Client({ ...postgres, database: 'postgres' });
  await client.connect();
  versions.postgres = (
    await client.query('SHOW server_version')
  ).rows[0].server_version;
  await client.end();
}

const verdict = (value, target, higherIsBetter = true) =>
  (higherIsBetter ? value >= target : value < target) ? 'met' : '**missed**';

const itemName = {
  traces: 'spans',
  logs: 'log records',
  metrics: 'metric points',
};
const target = {
  sqlite: {
    traces: TARGETS.sqliteSpans,
    logs: TARGETS.sqliteLogs,
    metrics: TARGETS.sqliteMetricPoints,
  },
  postgres: { traces: TARGETS.postgresSpans },
};

const throughputRows = results.map(r => {
  const stored = rate(r.items, r.stored.seconds);
  const perCpu = rate(r.items, r.stored.cpuSeconds);
  const decode = rate(r.items, r.decodeOnly.seconds);
  const decodePerCpu = rate(r.items, r.decodeOnly.cpuSeconds);
  const goal = target[r.database][r.signal];
  return (
    `| ${r.database === 'sqlite' ? 'SQLite file' : 'PostgreSQL'} | ` +
    `${itemName[r.signal]} | ${r.encoding} | ${fmt(decode)}/s | ` +
    `${fmt(decodePerCpu)}/s | ${fmt(stored)}/s | ${fmt(perCpu)}/s | ` +
    `${(stored / decode).toFixed(2)} | ${(perCpu / decodePerCpu).toFixed(
      2,
    )} | ` +
    `${
      goal
        ? `≥ ${fmt(goal)}/s: ${verdict(
            r.database === 'sqlite' ? perCpu : stored,
            goal,
          )}`
        : '—'
    } | ` +
    `${mib(r.peakRssBytes)} |`
  );
});

const httpRows = http.map(h => {
  const peak = h.peakRssBytes;
  return (
    `| ${h.database === 'sqlite' ? 'SQLite file' : 'PostgreSQL'} | ` +
    `${fmt(h.spans)} spans in ${h.seconds.toFixed(1)} s (${fmt(
      h.spans / h.seconds,
    )}/s) | ` +
    `${h.p50Ms.toFixed(1)} ms | ${h.p99Ms.toFixed(1)} ms (< ${
      TARGETS.p99Ms
    } ms: ${verdict(h.p99Ms, TARGETS.p99Ms, false)}) | ` +
    `${h.eventLoopDelayMs.p99.toFixed(1)} ms (< ${
      TARGETS.eventLoopP99Ms
    } ms: ${verdict(
      h.eventLoopDelayMs.p99,
      TARGETS.eventLoopP99Ms,
      false,
    )}) | ` +
    `${h.idleEventLoopP99Ms.toFixed(1)} ms | ` +
    `${mib(peak)} (< 1 GiB: ${verdict(peak, TARGETS.rssBytes, false)}) | ` +
    `${Math.round((100 * h.cpuSeconds) / h.wallSeconds)}% | ${
      h.failures.length
    } |`
  );
});

const load = loadavg()
  .map(l => l.toFixed(1))
  .join(', ');
const body = `How fast the observability engine stores OTLP exports. Machine: ${
  cpus()[0].model
}, ${
  cpus().length
} cores (shared with other work: load average ${load} at the end of the run), ${(
  totalmem() /
  2 ** 30
).toFixed(0)} GiB; Node ${process.versions.node}; SQLite ${
  versions.sqlite
} (better-sqlite3, a file in ${tmpdir()} with the plugin's WAL and synchronous=NORMAL); PostgreSQL ${
  versions.postgres
} on 127.0.0.1:5432, same machine.

Payloads: the traffic generator's OTLP exports (its batch processors send 512 items), ${exportCount} per signal and encoding, each a copy with new trace ids so that every one stores new rows: ${Object.entries(
  generated,
)
  .map(
    ([k, g]) =>
      `${k} ${fmt(g.items)} items, ${fmt(g.meanBytes / 1024)} KiB an export`,
  )
  .join(
    '; ',
  )}. The generator's metric exports carry a few dozen business points; each is grown to 512 points by repeating its series under one more attribute.

**Throughput** calls the OtlpReceiver service directly (not over HTTP), one export at a time, in a fresh process and database per row. *Decode-only* runs the same receiver with stores that keep nothing (after a warm-up pass); *stored* runs the plugin's own stores on Backstage's database service. *Per CPU-second* divides by the CPU time of the Node process, which is the per-core figure the SQLite targets are about (better-sqlite3 runs in the Node process; PostgreSQL's own work is in its server process and not counted there). Wall-clock rates depend on what else the shared machine was running; when it is busy, the per-CPU-second figures are the ones to compare. *Ratio* is stored / decode-only from the same run. The SQLite targets are judged per CPU-second, the PostgreSQL one by the wall clock. *Peak RSS* is the benchmark process's, which holds all of its payloads.

| database | items | encoding | decode-only | decode-only per CPU-second | stored | stored per CPU-second | ratio, wall clock | ratio, per CPU-second | target | peak RSS of the process |
|---|---|---|---|---|---|---|---|---|---|---|
${throughputRows.join('\n')}

**Latency over HTTP**: the plugin in a Backstage backend (startTestBackend with Backstage's database service) in a process of its own, sent ${fmt(
  SPANS_PER_SECOND,
)} spans/s as trace exports of 512 spans (protobuf and JSON alternately, one every ${(
  (1000 * 512) /
  SPANS_PER_SECOND
).toFixed(
  1,
)} ms, each on its schedule whether or not earlier ones were answered). Latency runs from the scheduled moment to the answer. The backend measures its own event-loop delay and peak RSS (VmHWM). The delay is how late monitorEventLoopDelay's 10 ms timer fired: the time between its ticks less the 10 ms, which an idle loop shows as about 0.

| database | sent | ingest p50 | ingest p99 | event-loop delay p99 | the same, idle for 5 s before | backend peak RSS | backend CPU (of one core) | failed exports |
|---|---|---|---|---|---|---|---|---|
${httpRows.join('\n')}
`;

const missed = [];
for (const r of results) {
  const goal = target[r.database][r.signal];
  if (!goal) continue;
  const value =
    r.database === 'sqlite'
      ? rate(r.items, r.stored.cpuSeconds)
      : rate(r.items, r.stored.seconds);
  if (value < goal) missed.push(`${r.database} ${r.signal} ${r.encoding}`);
}
for (const h of http) {
  if (h.p99Ms >= TARGETS.p99Ms) missed.push(`${h.database} ingest p99`);
  if (h.eventLoopDelayMs.p99 >= TARGETS.eventLoopP99Ms)
    missed.push(`${h.database} event-loop delay p99`);
  if (h.peakRssBytes >= TARGETS.rssBytes) missed.push(`${h.database} RSS`);
}

const sqliteHttp = http.find(h => h.database === 'sqlite');
const limits = `
What limits the rates, from CPU profiles of the throughput worker (\`node --cpu-prof\`):

- **SQLite**: better-sqlite3 runs the INSERTs on the Node thread, and SQLite's own work (B-tree inserts into the table and its indexes, WAL writes) is more than half of the stored path. A spans row goes into four indexes, two of them led by the random trace id (the primary key and \`spans_parent_idx\`), so every export of 512 spans touches hundreds of index pages; a log record goes into five (content key, trace id, service and time, time, event name and time). better-sqlite3 prepares every statement anew and knex keeps none prepared, so the stores keep their INSERT statements prepared per connection (cacheSqliteInsertStatements in plugins/portal-node): on 2026-12-04 that took spans from about 32-37k to 41-43k, log records from 20k to 23k and metric points from 33k to 69-71k per CPU-second, measured one run apart on the same machine. On SQLite the stores no longer open a knex transaction per export but write on the pooled connection (inSqliteWriteTransaction in plugins/portal-node), and metric points go in as the same raw multi-row INSERT as spans and logs instead of through knex's query builder. On 2026-12-04 two runs on an Intel Xeon machine stored 52-57k spans and 29-33k log records per CPU-second, against 41-43k and 23k in the last run before the change (on an AMD EPYC machine, so not a like-for-like ratio); metric points went from 63-66k to 109-114k between those two runs on the same machine, before and after the metric store's change. Decoding the OTLP and SQLite's index work are most of the rest. Going further needs fewer or cheaper indexes (for example spans as a WITHOUT ROWID table on its primary key; a log record's five indexes are why logs lag), a schema change left for later, or a writer of its own off the event loop. A CPU profile of the log path found COMMIT at a quarter of it: SQLite's automatic WAL checkpoint copies the log back into the database file inside the commit that crosses 1,000 pages, on the event loop's thread. With \`wal_autocheckpoint\` raised so that no checkpoint fell inside the run, log records went from 29-32k to 40k per CPU-second (a one-off experiment with this command's throughput worker and the pragma set by hand, 240 exports a run, 2026-12-04; not a figure of this table); checkpointing from a connection of its own off the event loop is the next step, left for later.
- **PostgreSQL**: its server process does the inserts, so the wall-clock rate depends on how much of the second core it gets; per CPU-second of the Node process it is well above the target.
- **HTTP latency and event-loop delay**: each export is decoded and stored on the backend's event loop; on SQLite the insert is cut into statements of 128 rows with a yield to the event loop between them. A CPU profile of the backend under 10,000 spans/s on PostgreSQL (\`TMS_BENCH_BACKEND_NODE_OPTIONS='--cpu-prof --trace-gc'\`) found it idle 70% of the time; its longest single pauses were garbage collections (scavenges and mark-compacts of 20-40 ms while the machine was busy), and its largest own costs knex's rewriting of the 11,264 placeholders of a 512-span INSERT for PostgreSQL and writing the query out. The idle column shows the delay the machine's other work alone causes; results vary from run to run with that load, PostgreSQL's the most, since its server competes for the same two cores. ${
  sqliteHttp
    ? `In this run the backend used ${Math.round(
        (100 * sqliteHttp.cpuSeconds) / sqliteHttp.wallSeconds,
      )}% of one core for 10,000 spans/s on SQLite while the machine's load average was about ${loadavg()[1].toFixed(
        0,
      )} on ${
        cpus().length
      } cores: the latency includes the time the backend waited for a CPU.`
    : ''
}
`;

writeBenchmarkSection('ingest', {
  title: 'Observability engine ingest',
  command: 'yarn bench:ingest',
  body: `${body}\nTargets missed in this run: ${
    missed.length ? missed.join(', ') : 'none'
  }.\n${limits}`,
});
console.log(`Targets missed: ${missed.length ? missed.join(', ') : 'none'}`);
