#!/usr/bin/env node
/*
 * Measures how long the Mesh page takes to draw a synthetic mesh of 300
 * services in the browser suite's Chromium, and writes the result to
 * docs/benchmarks.md.
 *
 *   node scripts/measure-mesh-render.mjs [--no-build]
 *
 * It builds the frontend (unless --no-build) and runs the browser test
 * packages/app/e2e-tests/meshScale.test.ts, which replaces the engine's
 * service graph with the synthetic one and times each of five page loads
 * from navigation until the first services are on screen.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchmarkSection } from './lib/benchmarks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test-results', 'mesh-render.json');
const TARGET_MS = 3000;

function run(args, env = {}) {
  const result = spawnSync('yarn', args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    console.error(`yarn ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

if (!process.argv.includes('--no-build')) {
  run(['workspace', 'app', 'build']);
}

mkdirSync(dirname(out), { recursive: true });
rmSync(out, { force: true });
run(['playwright', 'test', 'packages/app/e2e-tests/meshScale.test.ts'], {
  TMS_MESH_BENCH_OUT: out,
});
if (!existsSync(out)) {
  console.error('The browser test wrote no measurement');
  process.exit(1);
}

const { services, edges, timesMs, drawMs } = JSON.parse(
  readFileSync(out, 'utf8'),
);
const median = values =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const worst = Math.max(...timesMs);
const table = [
  '| services | calls | page loads | navigation to drawn, median | slowest | graph answer to drawn, median | target (navigation to drawn) |',
  '| -------- | ----- | ---------- | --------------------------- | ------- | ----------------------------- | ---------------------------- |',
  `| ${services} | ${edges} | ${timesMs.length} | ${median(timesMs)} ms | ` +
    `${worst} ms | ${median(drawMs)} ms | ` +
    `under ${TARGET_MS} ms: ${worst < TARGET_MS ? 'met' : 'missed'} |`,
].join('\n');

writeBenchmarkSection('mesh-render', {
  title: 'Mesh page with 300 services',
  command: 'yarn bench:mesh',
  body:
    `Time from navigation to /mesh until the summary and the first service ` +
    `nodes are visible, in the browser suite's Chromium against the built ` +
    `frontend served by the portal backend; the service graph route answers ` +
    `a synthetic mesh (plugins/observability/src/testing/syntheticGraph.ts). ` +
    `Each load fetches the app's JavaScript again from the local backend ` +
    `(browser cache warm after the first). Node ${process.versions.node}, ` +
    `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB.\n\n` +
    `${table}\n`,
});
console.log(table);
