#!/usr/bin/env node
/*
 * Runs the portal's test suites and ends with one line of totals over all of
 * them, `N passed, N failed, N skipped`, for CI to read.
 *
 *   node scripts/run-tests.mjs              every suite
 *   node scripts/run-tests.mjs --only unit  jest: unit and integration tests
 *   node scripts/run-tests.mjs --only e2e   Playwright on Debian's Chromium
 *
 * Each runner writes a JSON report that this script reads; a runner that
 * leaves no report counts as one failure, so a crash never passes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reportDir = join(root, 'test-results', 'reports');

function run(command, args, env = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return result.status ?? 1;
}

function readReport(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

const suites = {
  unit: {
    title: 'unit and integration tests (jest)',
    run() {
      const file = join(reportDir, 'jest.json');
      const status = run(
        'yarn',
        ['backstage-cli', 'repo', 'test', '--json', `--outputFile=${file}`],
        {
          CI: 'true',
          // jest runs dynamic import() and ES-module-only libraries (the
          // OpenTelemetry exporters' transport, the scaffolder module's
          // @kubernetes-models schemas) only with Node's VM modules on.
          NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules']
            .filter(Boolean)
            .join(' '),
        },
      );

      const report = readReport(file);
      if (!report) {
        return { passed: 0, failed: 1, skipped: 0, status };
      }
      return {
        passed: report.numPassedTests,
        // A test file that fails to load has no failed tests of its own.
        failed: report.numFailedTests + report.numRuntimeErrorTestSuites,
        skipped: report.numPendingTests + report.numTodoTests,
        status,
      };
    },
  },
  e2e: {
    title: 'browser tests (Playwright on Chromium)',
    run() {
      const buildStatus = run('yarn', ['workspace', 'app', 'build']);
      if (buildStatus !== 0) {
        console.error(
          'The frontend build failed; the browser suite did not run.',
        );
        return { passed: 0, failed: 1, skipped: 0, status: buildStatus };
      }

      const file = join(reportDir, 'playwright.json');
      const status = run(
        'yarn',
        ['playwright', 'test', '--reporter=list,json'],
        { PLAYWRIGHT_JSON_OUTPUT_NAME: file },
      );

      const report = readReport(file);
      if (!report) {
        return { passed: 0, failed: 1, skipped: 0, status };
      }
      const { expected, unexpected, flaky, skipped } = report.stats;
      return {
        passed: expected + flaky,
        failed: unexpected + (report.errors?.length ?? 0),
        skipped,
        status,
      };
    },
  },
};

const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex > -1 ? process.argv[onlyIndex + 1] ?? '' : undefined;
if (only !== undefined && !(only in suites)) {
  console.error(
    `Unknown suite '${only}'; choose one of: ${Object.keys(suites)}`,
  );
  process.exit(2);
}

// The integration suites run on this machine's PostgreSQL unless the
// environment names another server.
process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??=
  'postgresql://postgres@127.0.0.1:5432/postgres';

rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
let runnerFailed = false;

for (const [id, suite] of Object.entries(suites)) {
  if (only && id !== only) {
    continue;
  }

  console.log(`\n==> ${suite.title}`);
  const result = suite.run();
  console.log(
    `--> ${suite.title}: ${result.passed} passed, ${result.failed} failed, ` +
      `${result.skipped} skipped`,
  );

  totals.passed += result.passed;
  totals.failed += result.failed;
  totals.skipped += result.skipped;
  runnerFailed ||= result.status !== 0;
}

const failed = totals.failed > 0 || runnerFailed || totals.passed === 0;
console.log(
  `\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`,
);
process.exit(failed ? 1 : 0);
