import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './__testUtils__/deployFiles';

const CLI = require.resolve('@backstage/cli/bin/backstage-cli');

/**
 * Runs `backstage-cli config:check` in a package folder. The CLI reports a
 * config.d.ts that does not compile (for example a key declared twice) as
 * a line saying the schema "contains an error" and still exits 0, having
 * left that package's schema out: its secrets would then not be hidden
 * and its keys not checked. Hence the output is read too.
 */
function configCheck(cwd: string, configs: string[]) {
  const result = spawnSync(
    process.execPath,
    [CLI, 'config:check', '--lax', ...configs.flatMap(c => ['--config', c])],
    { cwd, encoding: 'utf8', timeout: 120_000 },
  );
  return {
    status: result.status,
    schemaErrors: `${result.stdout}${result.stderr}`
      .split('\n')
      .filter(line => /schema .* contains an error/i.test(line)),
  };
}

describe('config schemas', () => {
  it('compile for every package of the portal, and its configs match them', () => {
    const check = configCheck(REPO_ROOT, [
      'app-config.yaml',
      'app-config.production.yaml',
    ]);

    expect(check.schemaErrors).toEqual([]);
    expect(check.status).toBe(0);
  });

  it('compile for the standalone observability service, and its config matches them', () => {
    const check = configCheck(
      join(REPO_ROOT, 'packages/observability-service'),
      ['app-config.yaml'],
    );

    expect(check.schemaErrors).toEqual([]);
    expect(check.status).toBe(0);
  });
});
