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

// Yarn prints each advisory as one JSON line; anything else is its own
// report (errors included).
const advisories = [];
const messages = [];
for (const line of output.split('\n').filter(Boolean)) {
  try {
    const entry = JSON.parse(line);
    if (entry?.value && entry?.children) {
      advisories.push(entry);
      continue;
    }
  } catch {
    // Not an advisory line.
  }
  messages.push(line);
}

if (advisories.length > 0) {
  for (const { value, children } of advisories) {
    console.log(
      `${children.Severity ?? 'unknown'}: ${value} ${children.Issue ?? ''}` +
        ` (${children.URL ?? 'no URL'}), vulnerable ${
          children['Vulnerable Versions'] ?? '?'
        }, patched ${children['Patched Versions'] ?? '?'}`,
    );
  }
  console.log(`${advisories.length} high or critical advisories`);
  process.exit(1);
}

if (result.status !== 0) {
  // With --json Yarn reports a failed request by crashing with its own
  // source in the message: only the status and Yarn's own lines are shown.
  const refusal = /Response code (\d+ \([^)]*\))/i.exec(output);
  for (const line of messages.filter(m => m.startsWith('➤'))) {
    console.log(line);
  }
  console.log(
    refusal
      ? `The registry refused the audit request with ${refusal[1]}: no ` +
          `audit was done, so nothing is reported as clean.`
      : `yarn npm audit failed (exit ${result.status}) without advisories.`,
  );
  process.exit(2);
}

console.log('No high or critical advisory in production dependencies');
