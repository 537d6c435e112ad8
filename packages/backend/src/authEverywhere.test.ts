import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import observabilityPlugin from '@internal/backstage-plugin-observability-backend';
import trafficGeneratorModule from '@internal/backstage-plugin-observability-backend-module-traffic-generator';
import regionsPlugin from '@internal/backstage-plugin-regions-backend';
import zeroTrustPlugin from '@internal/backstage-plugin-zero-trust-backend';
import { randomBytes } from 'node:crypto';
import {
  BackendProcess,
  listPluginRoutes,
  PluginRoute,
  samplePath,
} from '@internal/backend-test-process';
import {
  AUTOMATION_TOKEN,
  localProfile,
  repositoryConfig,
  startPortalBackend,
} from './__testUtils__/portalBackend';

/*
 * Every route of the portal's own backend plugins must refuse a request
 * without a credential and one with a forged token; only the paths the
 * repository's config opens on purpose may answer them. The routes are read
 * from the plugins' routers in a test backend (so a new route is covered
 * without a list to keep up to date) and called on the portal backend
 * started as a process, where Backstage's real auth checks the tokens (its
 * token library cannot load inside jest).
 */

jest.setTimeout(240_000);

const PLUGIN_IDS = ['observability', 'zero-trust', 'regions'];

/**
 * The paths opened on purpose, by plugin: what config opens to probes and
 * scrapers, and the public keys Backstage itself serves for every plugin
 * so that others can verify its tokens.
 */
function openPaths(config: ReturnType<typeof repositoryConfig>) {
  const backstageKeys = '/.backstage/auth/v1/jwks.json';
  return {
    observability: [
      backstageKeys,
      ...(config.observability.unauthenticatedPaths ?? ['/health']),
    ],
    'zero-trust': [backstageKeys, '/health'],
    regions: [
      backstageKeys,
      ...(config.regions.simulation?.enabled
        ? ['/simulation/:region/health']
        : []),
    ],
  } as Record<string, string[]>;
}

describe('authentication on every route of the portal plugins', () => {
  const config = repositoryConfig();
  const open = openPaths(config);

  let backend: BackendProcess;
  let routes: PluginRoute[];

  beforeAll(async () => {
    backend = startPortalBackend(localProfile());

    const reader = await startTestBackend({
      features: [
        observabilityPlugin,
        trafficGeneratorModule,
        zeroTrustPlugin,
        regionsPlugin,
        mockServices.rootConfig.factory({
          data: {
            // Where the regions' simulated health endpoints resolve; no
            // probe reaching them is needed to read the routes.
            backend: { baseUrl: 'http://127.0.0.1:9' },
            ...config,
          },
        }),
      ],
    });
    try {
      routes = listPluginRoutes(reader.server, PLUGIN_IDS);
    } finally {
      await reader.stop();
    }

    await backend.waitUntilReady();
  });

  afterAll(async () => {
    await backend?.stop();
  });

  function call(route: PluginRoute, authorization?: string) {
    const headers: Record<string, string> = {};
    if (authorization) {
      headers.Authorization = authorization;
    }
    if (route.method !== 'GET') {
      headers['Content-Type'] = 'application/json';
    }
    return fetch(
      `${backend.baseUrl}/api/${route.pluginId}${samplePath(route.path)}`,
      {
        method: route.method,
        headers,
        body: route.method === 'GET' ? undefined : '{}',
      },
    );
  }

  const isOpen = (route: PluginRoute) =>
    open[route.pluginId].includes(route.path);

  it('finds the routes of every plugin', () => {
    // Each plugin's router is read; a walk that found nothing would make
    // the checks below vacuous.
    for (const pluginId of PLUGIN_IDS) {
      expect(
        routes.filter(r => r.pluginId === pluginId).length,
      ).toBeGreaterThan(3);
    }
    expect(routes).toContainEqual({
      pluginId: 'observability',
      method: 'POST',
      path: '/v1/traces',
    });
  });

  it('refuses every closed route without a credential or with a forged token', async () => {
    const random = `Bearer ${randomBytes(32).toString('base64url')}`;
    // A token shaped like a user's but signed by nobody.
    const unsigned = `Bearer ${[
      { alg: 'none', typ: 'vnd.backstage.user' },
      { sub: 'user:default/guest', exp: Math.floor(Date.now() / 1000) + 600 },
    ]
      .map(part => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .join('.')}.`;
    const failures: string[] = [];

    for (const route of routes.filter(r => !isOpen(r))) {
      for (const authorization of [undefined, random, unsigned, 'Bearer ']) {
        const response = await call(route, authorization);
        if (response.status !== 401 && response.status !== 403) {
          failures.push(
            `${route.method} /api/${route.pluginId}${route.path} with ` +
              `${
                authorization
                  ? `"${authorization.slice(0, 12)}…"`
                  : 'no credential'
              }` +
              ` answered ${response.status}`,
          );
        }
        await response.arrayBuffer();
      }
    }

    expect(failures).toEqual([]);
  });

  it('lets a valid token past the credential check on every closed route', async () => {
    // The same requests with a real token are not refused for want of a
    // credential: the 401s above come from the token, not the request.
    const refused: string[] = [];
    for (const route of routes.filter(r => !isOpen(r))) {
      const response = await call(route, `Bearer ${AUTOMATION_TOKEN}`);
      if (response.status === 401) {
        refused.push(`${route.method} /api/${route.pluginId}${route.path}`);
      }
      await response.arrayBuffer();
    }

    expect(refused).toEqual([]);
  });

  it('opens only the paths config opens on purpose', async () => {
    // The repository's config opens the engine's health only, and the
    // regions' simulated health endpoints for the local probes.
    expect(
      routes
        .filter(isOpen)
        .map(r => `${r.pluginId} ${r.method} ${r.path}`)
        .filter(r => !r.includes('/.backstage/'))
        .sort(),
    ).toEqual([
      'observability GET /health',
      'regions GET /simulation/:region/health',
      'zero-trust GET /health',
    ]);

    for (const route of routes.filter(isOpen)) {
      const response = await call(route);
      expect(`${route.path} ${response.status}`).toBe(`${route.path} 200`);
      await response.arrayBuffer();
    }
  });
});
