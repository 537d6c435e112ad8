import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { REPO_ROOT } from './__testUtils__/deployFiles';

const SCRIPT = join(REPO_ROOT, 'scripts/audit-deps.mjs');
const RECORDED = join(__dirname, '__fixtures__/yarn-npm-audit');

// --all matters most: without it the root workspace, which has no
// production dependencies, would be the only one audited.
const AUDIT_ARGS = [
  'npm',
  'audit',
  '--all',
  '--recursive',
  '--environment',
  'production',
  '--severity',
  'high',
  '--json',
];
const COMMAND_LINE = `yarn ${AUDIT_ARGS.join(' ')}`;

function recorded(file: string): string {
  return readFileSync(join(RECORDED, file), 'utf8');
}

/**
 * Runs `yarn audit:deps` as CI does, but with a stand-in `yarn` first on
 * PATH: the registry here refuses audits, so the real yarn can only ever
 * give the refusal. The stand-in replays a recorded answer (see
 * __fixtures__/yarn-npm-audit/README.md) and notes the arguments it got.
 */
function runAuditWith(answer: {
  stdout?: string;
  stderr?: string;
  status: number;
}) {
  const dir = mkdtempSync(join(tmpdir(), 'tms-audit-deps-'));
  try {
    writeFileSync(join(dir, 'stdout'), answer.stdout ?? '');
    writeFileSync(join(dir, 'stderr'), answer.stderr ?? '');
    writeFileSync(
      join(dir, 'yarn'),
      [
        '#!/bin/sh',
        'here=$(dirname "$0")',
        'printf "%s\\n" "$@" > "$here/args"',
        'cat "$here/stdout"',
        'cat "$here/stderr" >&2',
        `exit ${answer.status}`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );

    const result = spawnSync(process.execPath, [SCRIPT], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH}` },
      timeout: 30_000,
    });

    const argsFile = join(dir, 'args');
    return {
      status: result.status,
      lines: result.stdout.split('\n').filter(Boolean),
      // Undefined when the script never reached the stand-in.
      yarnArgs: existsSync(argsFile)
        ? readFileSync(argsFile, 'utf8').split('\n').filter(Boolean)
        : undefined,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('yarn audit:deps (scripts/audit-deps.mjs)', () => {
  it('exits 1 and names each high and critical advisory yarn reports', () => {
    const result = runAuditWith({
      stdout: recorded('advisories.stdout'),
      status: 1,
    });

    expect(result.yarnArgs).toEqual(AUDIT_ARGS);
    expect(result.status).toBe(1);
    // Yarn 4's advisories carry no patched versions, hence "patched ?".
    expect(result.lines).toEqual([
      COMMAND_LINE,
      'critical: jose jose: JWT signature check bypassed with a crafted key ' +
        '(https://github.com/advisories/GHSA-0000-0000-0002), ' +
        'vulnerable <6.0.0, patched ?',
      'high: ws ws: denial of service when handling a request with many ' +
        'HTTP headers (https://github.com/advisories/GHSA-0000-0000-0001), ' +
        'vulnerable >=8.0.0 <8.23.2, patched ?',
      '2 high or critical advisories',
    ]);
  });

  it('exits 2 and says no audit was done when the registry answers 405', () => {
    const result = runAuditWith({
      stderr: recorded('refused-405.stderr'),
      status: 1,
    });

    expect(result.yarnArgs).toEqual(AUDIT_ARGS);
    expect(result.status).toBe(2);
    expect(result.lines).toEqual([
      COMMAND_LINE,
      'The registry refused the audit request with 405 (Method Not ' +
        'Allowed): no audit was done, so nothing is reported as clean.',
    ]);
  });

  it('exits 0 and reports no advisory when yarn prints nothing and exits 0', () => {
    const result = runAuditWith({ status: 0 });

    expect(result.yarnArgs).toEqual(AUDIT_ARGS);
    expect(result.status).toBe(0);
    expect(result.lines).toEqual([
      COMMAND_LINE,
      'No high or critical advisory in production dependencies',
    ]);
  });

  it('exits 2, not 0, when yarn fails silently without a response code', () => {
    const result = runAuditWith({ status: 1 });

    expect(result.status).toBe(2);
    expect(result.lines).toEqual([
      COMMAND_LINE,
      'yarn npm audit failed (exit 1) without advisories.',
    ]);
  });
});
