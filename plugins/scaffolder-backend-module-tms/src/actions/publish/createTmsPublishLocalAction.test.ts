import { createMockDirectory } from '@backstage/backend-test-utils';
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { publishLocalInto } from '../../__testUtils__/publishLocal';
import { mockContextFor } from '../../__testUtils__/runAction';

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

  it('copies the workspace into a new folder of the publishing directory', async () => {
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: { name: 'payment-service' },
    });

    await action.handler(ctx);

    const target = published.resolve('payment-service');
    expect(readFileSync(`${target}/src/index.ts`, 'utf8')).toBe('export {};\n');
    expect(ctx.output).toHaveBeenCalledWith('path', target);
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      pathToFileURL(target).toString(),
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
