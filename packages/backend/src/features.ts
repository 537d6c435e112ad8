import { BackendFeature } from '@backstage/backend-plugin-api';
import appPlugin from '@backstage/plugin-app-backend';
import proxyPlugin from '@backstage/plugin-proxy-backend';
import eventsPlugin from '@backstage/plugin-events-backend';
import authPlugin from '@backstage/plugin-auth-backend';
import authGuestProviderModule from '@backstage/plugin-auth-backend-module-guest-provider';
import authGithubProviderModule from '@backstage/plugin-auth-backend-module-github-provider';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogScaffolderEntityModelModule from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogLogsModule from '@backstage/plugin-catalog-backend-module-logs';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderGithubModule from '@backstage/plugin-scaffolder-backend-module-github';
import scaffolderNotificationsModule from '@backstage/plugin-scaffolder-backend-module-notifications';
import scaffolderTmsModule, {
  localRepositoryUrlReaderFactory,
} from '@internal/plugin-scaffolder-backend-module-tms';
import permissionPlugin from '@backstage/plugin-permission-backend';
import tmsPermissionPolicy from './permissions';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import searchPlugin from '@backstage/plugin-search-backend';
import searchPgModule from '@backstage/plugin-search-backend-module-pg';
import searchCatalogModule from '@backstage/plugin-search-backend-module-catalog';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import signalsPlugin from '@backstage/plugin-signals-backend';
import userSettingsPlugin from '@backstage/plugin-user-settings-backend';
import observabilityPlugin from '@internal/backstage-plugin-observability-backend';
import trafficGeneratorModule from '@internal/backstage-plugin-observability-backend-module-traffic-generator';
import zeroTrustPlugin from '@internal/backstage-plugin-zero-trust-backend';
import regionsPlugin from '@internal/backstage-plugin-regions-backend';

/**
 * The plugins and modules of the TMS Portal backend, in one list so that the
 * backend process and the integration tests start exactly the same set.
 */
export const tmsBackendFeatures: BackendFeature[] = [
  appPlugin,
  proxyPlugin,
  // The event bus lets catalog and signals events reach every replica.
  eventsPlugin,

  authPlugin,
  authGuestProviderModule,
  authGithubProviderModule,

  catalogPlugin,
  catalogScaffolderEntityModelModule,
  catalogLogsModule,

  scaffolderPlugin,
  scaffolderGithubModule,
  scaffolderNotificationsModule,
  scaffolderTmsModule,
  // The catalog reads the catalog-info.yaml of local repositories.
  localRepositoryUrlReaderFactory,

  permissionPlugin,
  tmsPermissionPolicy,

  kubernetesPlugin,

  searchPlugin,
  searchPgModule,
  searchCatalogModule,

  notificationsPlugin,
  signalsPlugin,
  userSettingsPlugin,

  // The TMS engines of this repository.
  observabilityPlugin,
  trafficGeneratorModule,
  zeroTrustPlugin,
  regionsPlugin,
];
