#!/usr/bin/env node
/*
 * Measures the resident memory of the portal backend, built as for
 * production, started on the embedded default (app-config.yaml, SQLite) and
 * left idle, and writes the result to docs/benchmarks.md.
 *
 *   node scripts/measure-backend-memory.mjs [--idle-seconds 60]
 *
 * The backend bundle is unpacked inside packages/backend/dist so that it
 * resolves its dependencies from the repository's node_modules, as the
 * production image resolves them from its own.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchmarkSection } from './lib/benchmarks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundleDir = join(root, 'packages/backend/dist/bundle');
const port = Number(process.env.TMS_BENCH_PORT ?? 7027);

const idleIndex = process.argv.indexOf('--idle-seconds');
const idleSeconds = idleIndex > -1 ? Number(process.argv[idleIndex + 1]) : 60;
if (!Number.isFinite(idleSeconds) || idleSeconds < 0) {
  console.error(
    `--idle-seconds must be a number of seconds, not '${
      process.argv[idleIndex + 1]
    }'`,
  );
  process.exit(2);
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

function residentKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)[1]);
}

console.log('Building the backend bundle');
execFileSync('yarn', ['workspace', 'backend', 'build'], {
  cwd: root,
  stdio: 'inherit',
});
rmSync(bundleDir, { recursive: true, force: true });
mkdirSync(bundleDir, { recursive: true });
execFileSync('tar', [
  '-xzf',
  join(root, 'packages/backend/dist/bundle.tar.gz'),
  '-C',
  bundleDir,
]);

// The bundle's own copies of the workspace packages, built to dist/, must
// win over the repository's source folders when the backend resolves them.
for (const folder of ['packages', 'plugins']) {
  for (const name of readdirSync(join(bundleDir, folder))) {
    const packageDir = join(bundleDir, folder, name);
    const manifest = JSON.parse(
      readFileSync(join(packageDir, 'package.json'), 'utf8'),
    );
    const link = join(bundleDir, 'node_modules', manifest.name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(packageDir, link, 'dir');
  }
}

const mib = kib => (kib / 1024).toFixed(0);

/**
 * Starts the bundle with the given extra environment, waits until it is
 * ready and has idled, and samples its resident memory.
 */
async function measure(extraEnv) {
  const backend = spawn(
    process.execPath,
    [
      join(bundleDir, 'packages/backend'),
      '--config',
      join(root, 'app-config.yaml'),
    ],
    {
      // app-config.yaml's relative paths (catalog, policies, nginx config)
      // are written from packages/backend, where the backend starts.
      cwd: join(root, 'packages/backend'),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_baseUrl: `http://127.0.0.1:${port}`,
        ...extraEnv,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );

  try {
    const startedAt = Date.now();
    for (;;) {
      if (backend.exitCode !== null) {
        throw new Error(`The backend exited with status ${backend.exitCode}`);
      }
      try {
        const response = await fetch(
          `http://127.0.0.1:${port}/.backstage/health/v1/readiness`,
        );
        if (response.ok) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() - startedAt > 120_000) {
        throw new Error('The backend did not become ready within 120 s');
      }
      await sleep(500);
    }
    const readyAfter = (Date.now() - startedAt) / 1000;
    const atReady = residentKiB(backend.pid);

    await sleep(idleSeconds * 1000);

    // Ten samples over ten more seconds.
    const samples = [];
    for (let i = 0; i < 10; i++) {
      samples.push(residentKiB(backend.pid));
      await sleep(1000);
    }
    samples.sort((a, b) => a - b);
    return {
      readyAfter,
      atReady,
      median: samples[Math.floor(samples.length / 2)],
      max: samples.at(-1),
    };
  } finally {
    backend.kill('SIGTERM');
    await new Promise(r => backend.once('exit', r));
  }
}

console.log(`Measuring without the traffic generator; idling ${idleSeconds} s`);
const quiet = await measure({
  APP_CONFIG_observability_trafficGenerator_enabled: 'false',
});
console.log(`Measuring the embedded default; running ${idleSeconds} s`);
const embedded = await measure({});

const row = (name, r) =>
  `| ${name} | ${r.readyAfter.toFixed(1)} s | ${mib(r.atReady)} MiB | ` +
  `${mib(r.median)} MiB | ${mib(r.max)} MiB |`;
const table = [
  `| backend | ready after | RSS at ready | RSS after ${idleSeconds} s (median of 10) | (max of 10) |`,
  '|---|---|---|---|---|',
  row('idle: traffic generator off', quiet),
  row('embedded default: traffic generator on, 20 requests/s', embedded),
].join('\n');

writeBenchmarkSection('backend-memory', {
  title: 'Portal backend memory',
  command: 'yarn bench:memory',
  body:
    `The production bundle of packages/backend (NODE_ENV=production) on ` +
    `app-config.yaml: SQLite in memory, the whole catalog, every plugin. ` +
    `Target: under 600 MB (572 MiB) idle. Node ${process.versions.node}, ` +
    `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(
      0,
    )} GiB.\n\n${table}`,
});
console.log(table);
