import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { REPO_ROOT } from './deployFiles';

/** Where ./portal's Debian packages put each tool, and which package. */
const TOOLS = {
  promtool: 'prometheus',
  amtool: 'prometheus-alertmanager',
} as const;

/**
 * The path of a tool on PATH. A missing tool fails the test that needs it,
 * naming the package that brings it, instead of skipping the check.
 */
export function findTool(name: keyof typeof TOOLS): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  throw new Error(
    `${name} is not installed: install the Debian package ${TOOLS[name]} ` +
      `(./portal test does, from its APT_PACKAGES_TEST list)`,
  );
}

/** Runs a tool from a folder of the repository; its exit code and output. */
export function runTool(
  name: keyof typeof TOOLS,
  args: string[],
  cwd = REPO_ROOT,
) {
  const result = spawnSync(findTool(name), args, {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return {
    status: result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
  };
}
