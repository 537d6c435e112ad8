import { createMockDirectory } from '@backstage/backend-test-utils';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { publishLocalInto } from '../../__testUtils__/publishLocal';
import { mockContextFor, runAction } from '../../__testUtils__/runAction';
import { ConfigReader } from '@backstage/config';
import { createTmsPublishLocalAction } from './createTmsPublishLocalAction';

describe('tms:publish:local', () => {
  const workspace = createMockDirectory();
  const published = createMockDirectory();
  const action = publishLocalInto(published.path);

  beforeEach(() => {
    published.clear();
    workspace.setContent({
      'catalog-info.yaml': 'kind: Component\n',
      'src/index.ts': 'export {};\n',
    });
  });

  /** Runs the real git binary against a published repository. */
  const gitIn = (dir: string, ...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

  it('creates a Git repository with one commit of every workspace file', async () => {
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: { name: 'payment-service' },
    });

    await action.handler(ctx);

    const target = published.resolve('payment-service');
    expect(readFileSync(`${target}/src/index.ts`, 'utf8')).toBe('export {};\n');
    expect(gitIn(target, 'ls-files').split('\n')).toEqual([
      'catalog-info.yaml',
      'src/index.ts',
    ]);
    expect(gitIn(target, 'status', '--porcelain')).toBe('');
    expect(gitIn(target, 'branch', '--show-current')).toBe('main');
    expect(gitIn(target, 'log', '--format=%an <%ae> %s')).toBe(
      'TMS Scaffolder <scaffolder@tms.example.com> Initial commit',
    );
    expect(gitIn(target, 'fsck', '--strict')).toBe('');
    expect(ctx.output).toHaveBeenCalledWith(
      'commitHash',
      gitIn(target, 'rev-parse', 'HEAD'),
    );
    expect(ctx.output).toHaveBeenCalledWith('path', target);
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      pathToFileURL(target).toString(),
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoUrl',
      pathToFileURL(`${target}/catalog-info.yaml`).toString(),
    );
  });

  it('can be cloned from its remote URL', async () => {
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: {
        name: 'payment-service',
        defaultBranch: 'trunk',
        commitMessage: 'Create payment-service',
      },
    });
    await action.handler(ctx);
    const remoteUrl = ctx.output.mock.calls.find(
      ([name]) => name === 'remoteUrl',
    )![1];

    execFileSync('git', ['clone', '--quiet', remoteUrl, 'clone'], {
      cwd: published.path,
    });

    const clone = published.resolve('clone');
    expect(readFileSync(`${clone}/catalog-info.yaml`, 'utf8')).toBe(
      'kind: Component\n',
    );
    expect(gitIn(clone, 'branch', '--show-current')).toBe('trunk');
    expect(gitIn(clone, 'log', '--format=%s')).toBe('Create payment-service');
  });

  it('takes the branch and author from the configuration', async () => {
    const configured = createTmsPublishLocalAction({
      config: new ConfigReader({
        tms: {
          scaffolder: {
            localPublish: {
              directory: published.path,
              defaultBranch: 'develop',
              author: { name: 'Platform team', email: 'platform@example.com' },
            },
          },
        },
      }),
    });

    await runAction(configured, {
      workspacePath: workspace.path,
      input: { name: 'payment-service' },
    });

    const target = published.resolve('payment-service');
    expect(gitIn(target, 'branch', '--show-current')).toBe('develop');
    expect(gitIn(target, 'log', '--format=%an <%ae>')).toBe(
      'Platform team <platform@example.com>',
    );
  });

  it('leaves the disk alone in a dry run but reports the target', async () => {
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: { name: 'payment-service' },
      isDryRun: true,
    });

    await action.handler(ctx);

    expect(existsSync(published.resolve('payment-service'))).toBe(false);
    expect(ctx.output).not.toHaveBeenCalledWith(
      'commitHash',
      expect.anything(),
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'path',
      published.resolve('payment-service'),
    );
  });

  it('refuses to overwrite a repository that exists', async () => {
    published.setContent({ 'payment-service/README.md': 'taken' });
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: { name: 'payment-service' },
    });

    await expect(action.handler(ctx)).rejects.toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message: expect.stringContaining(
          "Local repository 'payment-service' already exists",
        ),
      }),
    );
    expect(
      readFileSync(published.resolve('payment-service/README.md'), 'utf8'),
    ).toBe('taken');
  });

  it('refuses a branch name git would not accept', async () => {
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: { name: 'payment-service', defaultBranch: '-x' },
    });

    await expect(action.handler(ctx)).rejects.toThrow(
      'defaultBranch: Invalid, got "-x"',
    );
    expect(existsSync(published.resolve('payment-service'))).toBe(false);
  });

  it('refuses a name that is not a folder name', async () => {
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: { name: '../escape' },
    });

    await expect(action.handler(ctx)).rejects.toThrow(
      'name: Invalid, got "../escape"',
    );
  });
});
