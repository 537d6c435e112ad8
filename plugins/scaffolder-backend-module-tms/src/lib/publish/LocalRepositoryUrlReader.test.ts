import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { pathToFileURL } from 'node:url';
import { createLocalRepository } from './localRepository';
import { localRepositoryReaderFactory } from './LocalRepositoryUrlReader';

describe('LocalRepositoryUrlReader', () => {
  const published = createMockDirectory();
  const outside = createMockDirectory();
  const workspace = createMockDirectory();

  // The reader as the backend builds it: Backstage's own reader mux with
  // this one factory in front of the defaults.
  const reader = UrlReaders.default({
    config: mockServices.rootConfig({ data: {} }),
    logger: mockServices.logger.mock(),
    factories: [localRepositoryReaderFactory(published.path)],
  });
  const url = (path: string) => pathToFileURL(path).toString();

  beforeEach(async () => {
    published.clear();
    workspace.setContent({
      'catalog-info.yaml': 'kind: Component\n',
      'src/index.ts': 'export {};\n',
    });
    outside.setContent({ 'secret.txt': 'not for the catalog' });
    await createLocalRepository({
      source: workspace.path,
      target: published.resolve('ledger-service'),
      defaultBranch: 'main',
      author: { name: 'Test', email: 'test@example.com' },
      message: 'Initial commit',
    });
  });

  it('finds the catalog entry of a local repository as the catalog does', async () => {
    const target = url(published.resolve('ledger-service/catalog-info.yaml'));

    const response = await reader.search(target);

    expect(response.files.map(file => file.url)).toEqual([target]);
    expect((await response.files[0].content()).toString()).toBe(
      'kind: Component\n',
    );
    // A refresh with the same etag learns that nothing changed.
    await expect(
      reader.search(target, { etag: response.etag }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
  });

  it('reads one file and the tree of a repository without its .git', async () => {
    const file = await reader.readUrl(
      url(published.resolve('ledger-service/src/index.ts')),
    );
    const tree = await reader.readTree(
      url(published.resolve('ledger-service')),
    );
    const files = await tree.files();

    expect((await file.buffer()).toString()).toBe('export {};\n');
    expect(files.map(f => f.path).sort()).toEqual([
      'catalog-info.yaml',
      'src/index.ts',
    ]);
    // The tree's etag is the repository's HEAD commit.
    expect(tree.etag).toMatch(/^[0-9a-f]{40}$/);
  });

  it('says a missing file is not found', async () => {
    await expect(
      reader.search(url(published.resolve('ledger-service/missing.yaml'))),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('missing.yaml does not exist'),
    });
  });

  it('reads no file outside the publishing directory', async () => {
    await expect(
      reader.readUrl(url(outside.resolve('secret.txt'))),
    ).rejects.toThrow(/not allowed/i);
    await expect(
      reader.search(`${url(published.path)}/../secret.txt`),
    ).rejects.toThrow(/not allowed/i);
  });

  it('refuses glob patterns', async () => {
    await expect(
      reader.search(url(published.resolve('ledger-service/*.yaml'))),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('name one file'),
    });
  });
});
