import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  BackendProcess,
  listPluginRoutes,
  PluginRoute,
  samplePath,
} from '@internal/backend-test-process';
import observabilityPlugin from '@internal/backstage-plugin-observability-backend';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const PACKAGE_DIR = resolve(__dirname, '..');
const INGEST_TOKEN = randomBytes(24).toString('base64url');
const READ_TOKEN = randomBytes(24).toString('base64url');

jest.setTimeout(180_000);

/*
 * Every route of the engine, read from its routers in a test backend, is
 * called at the root of the standalone service (port 8010's layout) and
 * under /api/observability: each refuses a request without a token and one
 * with a wrong token, except the paths the service's config opens.
 */
describe('authentication on every route of the observability service', () => {
  const serviceConfig = parse(
    readFileSync(resolve(PACKAGE_DIR, 'app-config.yaml'), 'utf8'),
  );
  const openPaths: string[] = [
    // Backstage's public keys for verifying the engine's own tokens.
    '/.backstage/auth/v1/jwks.json',
    ...serviceConfig.observability.unauthenticatedPaths,
  ];
  let service: BackendProcess;
  let routes: PluginRoute[];

  beforeAll(async () => {
    service = BackendProcess.start({
      packageDir: PACKAGE_DIR,
      configFiles: [resolve(PACKAGE_DIR, 'app-config.yaml')],
      config: {
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
      },
      env: {
        TMS_OBSERVABILITY_INGEST_TOKEN: INGEST_TOKEN,
        TMS_OBSERVABILITY_READ_TOKEN: READ_TOKEN,
      },
    });

    const reader = await startTestBackend({
      features: [
        observabilityPlugin,
        mockServices.rootConfig.factory({
          data: { observability: serviceConfig.observability },
        }),
      ],
    });
    try {
      routes = listPluginRoutes(reader.server, ['observability']);
    } finally {
      await reader.stop();
    }

    await service.waitUntilReady();
  });

  afterAll(async () => {
    await service?.stop();
  });

  const closed = () => routes.filter(r => !openPaths.includes(r.path));

  function call(prefix: string, route: PluginRoute, authorization?: string) {
    const headers: Record<string, string> = {};
    if (authorization) {
      headers.Authorization = authorization;
    }
    if (route.method !== 'GET') {
      headers['Content-Type'] = 'application/json';
    }
    return fetch(`${service.baseUrl}${prefix}${samplePath(route.path)}`, {
      method: route.method,
      headers,
      body: route.method === 'GET' ? undefined : '{}',
    });
  }

  it('reads the OTLP, query and alert routes of the engine', () => {
    const paths = routes.map(r => `${r.method} ${r.path}`);

    expect(paths).toEqual(
      expect.arrayContaining([
        'POST /v1/traces',
        'GET /traces/:traceId',
        'GET /logs',
        'GET /metrics',
      ]),
    );
    expect(closed().length).toBeGreaterThan(10);
  });

  it.each(['', '/api/observability'])(
    'refuses every closed route at "%s" without a token or with a wrong one',
    async prefix => {
      const wrong = `Bearer ${randomBytes(24).toString('base64url')}`;
      const failures: string[] = [];

      // The service maps the engine's routes to its root, not Backstage's
      // own (/.backstage/...): those answer under the plugin path only.
      const atPrefix = closed().filter(
        r => prefix !== '' || !r.path.startsWith('/.backstage/'),
      );
      for (const route of atPrefix) {
        for (const authorization of [undefined, wrong]) {
          const response = await call(prefix, route, authorization);
          await response.arrayBuffer();
          if (response.status !== 401 && response.status !== 403) {
            failures.push(
              `${route.method} ${prefix}${route.path} ` +
                `${authorization ? 'with a wrong token' : 'without a token'}` +
                ` answered ${response.status}`,
            );
          }
        }
      }

      expect(failures).toEqual([]);
    },
  );

  it('lets the read token past the check on every closed route', async () => {
    const refused: string[] = [];
    for (const route of closed()) {
      const response = await call(
        '/api/observability',
        route,
        `Bearer ${READ_TOKEN}`,
      );
      await response.arrayBuffer();
      if (response.status === 401) {
        refused.push(`${route.method} ${route.path}`);
      }
    }

    expect(refused).toEqual([]);
  });

  it('answers its open paths without a token', async () => {
    expect(serviceConfig.observability.unauthenticatedPaths).toEqual([
      '/health',
    ]);
    const response = await fetch(`${service.baseUrl}/health`);

    expect(response.status).toBe(200);
  });
});
