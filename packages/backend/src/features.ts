/**
 * The plugins and modules of the TMS Portal backend, in one list so that the
 * backend process and the integration tests start exactly the same set.
 */
export const tmsBackendFeatures = [
  import('@backstage/plugin-app-backend'),
  import('@backstage/plugin-proxy-backend'),
  // The event bus lets catalog and signals events reach every replica.
  import('@backstage/plugin-events-backend'),

  import('@backstage/plugin-auth-backend'),
  import('@backstage/plugin-auth-backend-module-guest-provider'),
  import('@backstage/plugin-auth-backend-module-github-provider'),

  import('@backstage/plugin-catalog-backend'),
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
  import('@backstage/plugin-catalog-backend-module-logs'),

  import('@backstage/plugin-scaffolder-backend'),
  import('@backstage/plugin-scaffolder-backend-module-github'),
  import('@backstage/plugin-scaffolder-backend-module-notifications'),

  import('@backstage/plugin-permission-backend'),
  import('./permissions'),

  import('@backstage/plugin-kubernetes-backend'),

  import('@backstage/plugin-search-backend'),
  import('@backstage/plugin-search-backend-module-pg'),
  import('@backstage/plugin-search-backend-module-catalog'),

  import('@backstage/plugin-notifications-backend'),
  import('@backstage/plugin-signals-backend'),
  import('@backstage/plugin-user-settings-backend'),
];
