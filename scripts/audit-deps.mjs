#!/usr/bin/env node
/*
 * Reports known high and critical advisories in the production dependencies
 * of every workspace, transitive ones included, and exits non-zero when
 * there is one, or when no answer could be had: an audit that did not run
 * must not read as a clean one.
 *
 *   yarn audit:deps
 *
 * Exit codes: 0 no high or critical advisory, 1 advisories found, 2 the
 * registry gave no audit answer (for instance a mirror without the audit
 * endpoint, which answers 405).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeAudit, readAuditOutput } from './lib/audit-report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// --all: the root workspace has no production dependencies of its own;
// without it the audit would look at nothing.
const args = [
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
const result = spawnSync('yarn', args, { cwd: root, encoding: 'utf8' });
const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;

console.log(`yarn ${args.join(' ')}`);

const { exitCode, lines } = describeAudit(
  readAuditOutput(output, result.status),
);
for (const line of lines) {
  console.log(line);
}
process.exit(exitCode);
