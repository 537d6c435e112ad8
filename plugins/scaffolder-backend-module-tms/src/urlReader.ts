import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { urlReaderFactoriesServiceRef } from '@backstage/backend-defaults/urlReader';
import { localRepositoryReaderFactory } from './lib/publish/LocalRepositoryUrlReader';
import { readLocalPublishSettings } from './lib/publish/localRepository';

/**
 * Lets every plugin's URL reader, the catalog's above all, read `file:` URLs
 * inside `tms.scaffolder.localPublish.directory`.
 *
 * @public
 */
export const localRepositoryUrlReaderFactory = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: { config: coreServices.rootConfig },
  async factory({ config }) {
    return localRepositoryReaderFactory(
      readLocalPublishSettings(config).directory,
    );
  },
});
