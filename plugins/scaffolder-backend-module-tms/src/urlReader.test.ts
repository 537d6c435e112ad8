import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { pathToFileURL } from 'node:url';
import { localRepositoryUrlReaderFactory } from './urlReader';

describe('localRepositoryUrlReaderFactory', () => {
  const published = createMockDirectory({
    content: { 'ledger-service/catalog-info.yaml': 'kind: Component\n' },
  });

  it("gives every plugin's URL reader the local publishing directory", async () => {
    const read = jest.fn<Promise<string>, [string]>();
    const reader = createBackendPlugin({
      pluginId: 'reader',
      register(env) {
        env.registerInit({
          deps: { urlReader: coreServices.urlReader },
          async init({ urlReader }) {
            read.mockImplementation(async url =>
              (await (await urlReader.readUrl(url)).buffer()).toString(),
            );
          },
        });
      },
    });

    await startTestBackend({
      features: [
        reader,
        localRepositoryUrlReaderFactory,
        mockServices.rootConfig.factory({
          data: {
            tms: {
              scaffolder: { localPublish: { directory: published.path } },
            },
          },
        }),
      ],
    });

    const url = pathToFileURL(
      published.resolve('ledger-service/catalog-info.yaml'),
    ).toString();
    await expect(read(url)).resolves.toBe('kind: Component\n');
    // Outside the directory no reader claims a file: URL at all.
    await expect(read('file:///etc/hostname')).rejects.toThrow(
      "Reading from 'file:///etc/hostname' is not allowed",
    );
  });
});
