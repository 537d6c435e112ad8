#!/usr/bin/env node
/*
 * Measures how long the Mesh page takes to draw a synthetic mesh of 300
 * services, and how long every portal page takes to show live data,
 * in the browser suite's Chromium, and writes both to docs/benchmarks.md.
 *
 *   node scripts/measure-mesh-render.mjs [--no-build]
 *
 * It builds the frontend (unless --no-build) and runs the browser test
 * packages/app/e2e-tests/meshScale.test.ts, which replaces the engine's
 * service graph with the synthetic one and times each of five page loads
 * from navigation until the first services are on screen; then
 * pageTimes.test.ts, which times three loads of each portal page
 * until its first row of the traffic generator's data is visible.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchmarkSection } from './lib/benchmarks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test-results', 'mesh-render.json');
const pagesOut = join(root, 'test-results', 'page-times.json');
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
rmSync(pagesOut, { force: true });
run(
  [
    'playwright',
    'test',
    'packages/app/e2e-tests/meshScale.test.ts',
    'packages/app/e2e-tests/pageTimes.test.ts',
  ],
  { TMS_MESH_BENCH_OUT: out, TMS_PAGES_BENCH_OUT: pagesOut },
);
if (!existsSync(out) || !existsSync(pagesOut)) {
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

const PAGE_TARGET_MS = 2000;
const pages = JSON.parse(readFileSync(pagesOut, 'utf8'));
const pageTable = [
  '| page | loads | median | slowest | target |',
  '| ---- | ----- | ------ | ------- | ------ |',
  ...pages.map(({ path, timesMs: times }) => {
    const slowest = Math.max(...times);
    return (
      `| \`${path}\` | ${times.length} | ${median(
        times,
      )} ms | ${slowest} ms | ` +
      `under ${PAGE_TARGET_MS} ms: ${
        slowest < PAGE_TARGET_MS ? 'met' : 'missed'
      } |`
    );
  }),
].join('\n');

writeBenchmarkSection('observability-pages', {
  title: 'Portal pages: navigation to live data',
  command: 'yarn bench:mesh',
  body:
    `Time from navigation until the page shows the traffic generator's ` +
    `data (the Mesh page's first service, the first trace row, the first ` +
    `log row, the alert list or its empty state, the first SLO, the ` +
    `eu-west-1 region, the risk score ranges, the service tab's requests ` +
    `per region), in the browser suite's Chromium against the portal backend ` +
    `on app-config.yaml with the traffic generator on at its default rate. ` +
    `Node ${process.versions.node}, ${cpus().length} cores.\n\n` +
    `${pageTable}\n`,
});
console.log(pageTable);
