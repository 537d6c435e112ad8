import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `yarn traffic`'s script with `args`; resolves with how it ended. */
async function traffic(...args: string[]) {
  try {
    await run(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        join(__dirname, 'cli.ts'),
        ...args,
      ],
      { timeout: 30_000 },
    );
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('yarn traffic on a bad command line', () => {
  it.each([
    [['--rat', '5'], "tms-traffic: Unknown option '--rat'"],
    [[], 'tms-traffic: --endpoint is required'],
    [
      ['--endpoint', 'localhost:7007'],
      "tms-traffic: --endpoint must be an http or https URL, not 'localhost:7007'",
    ],
    [
      ['--endpoint', 'http://127.0.0.1:9', '--rate', 'fast'],
      "tms-traffic: --rate must be a number above 0, not 'fast'",
    ],
    [
      ['--endpoint', 'http://127.0.0.1:9', '--scenario', 'stampede'],
      "tms-traffic: no scenario 'stampede'; choose from",
    ],
  ])(
    '%j ends with status 2 and one line that names the problem',
    async (args, message) => {
      const { code, stderr } = await traffic(...args);

      expect(code).toBe(2);
      expect(stderr).toContain(message);
      // No stack trace: only what the person typing needs.
      expect(stderr).not.toMatch(/^\s+at /m);
    },
    30_000,
  );
});
