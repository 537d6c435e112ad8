import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  listPluginRoutes,
  PluginRoute,
  samplePath,
} from '@internal/backend-test-process';
import observabilityPlugin from '@internal/backstage-plugin-observability-backend';
import regionsPlugin from '@internal/backstage-plugin-regions-backend';
import zeroTrustPlugin from '@internal/backstage-plugin-zero-trust-backend';
import fc from 'fast-check';
import { AddressInfo } from 'node:net';
import { repositoryConfig } from './__testUtils__/portalBackend';

/*
 * Every GET route of the portal's plugins, read from their routers, takes
 * arbitrary query strings and path parameters with an answer of 2xx or
 * 4xx, never a 5xx: bad input is the caller's problem, named in a 400.
 */

jest.setTimeout(180_000);

/** Names the read routes take, plus any name at all. */
const QUERY_NAMES = [
  'from',
  'to',
  'limit',
  'offset',
  'cursor',
  'service',
  'region',
  'severity',
  'query',
  'traceId',
  'name',
  'state',
  'ip',
  'xForwardedFor',
  'history',
  'explain',
  'since',
];

/** Values that are wrong in the ways callers get them wrong. */
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    '-1',
    '0',
    '1e309',
    '9007199254740993',
    'NaN',
    'true',
    '2026-13-45T99:99:99Z',
    '1970-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '::ffff:10.0.0.1',
    "' OR 1=1 --",
    '%00',
    '../../etc/passwd',
    'a'.repeat(5000),
  ),
  fc.date({ noInvalidDate: true }).map(d => d.toISOString()),
  fc.integer().map(String),
);

const query = fc.array(
  fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.string()), value),
  { maxLength: 4 },
);

describe('read routes on arbitrary query strings', () => {
  let baseUrl: string;
  let routes: PluginRoute[];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        observabilityPlugin,
        zeroTrustPlugin,
        regionsPlugin,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://127.0.0.1:9' },
            ...repositoryConfig(),
          },
        }),
      ],
    });
    stop = () => backend.stop();
    baseUrl = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }`;
    routes = listPluginRoutes(backend.server, [
      'observability',
      'zero-trust',
      'regions',
    ]).filter(r => r.method === 'GET' && !r.path.startsWith('/.backstage/'));
  });

  afterAll(async () => {
    await stop?.();
  });

  it('finds the read routes of every plugin', () => {
    expect(routes.length).toBeGreaterThan(30);
  });

  it('answers every read route with 2xx or 4xx', async () => {
    const failures = new Set<string>();

    await fc.assert(
      fc.asyncProperty(
        fc.nat(routes.length - 1),
        query,
        fc.option(fc.string({ minLength: 1, maxLength: 30 })),
        async (index, pairs, pathValue) => {
          const route = routes[index];
          const path = pathValue
            ? route.path.replace(/:\w+/g, encodeURIComponent(pathValue))
            : samplePath(route.path);
          const search = new URLSearchParams(pairs).toString();
          const response = await fetch(
            `${baseUrl}/api/${route.pluginId}${path}?${search}`,
            { headers: { Authorization: mockCredentials.user.header() } },
          );
          const body = await response.text();
          if (response.status >= 500) {
            failures.add(
              `GET /api/${route.pluginId}${path}?${search} answered ` +
                `${response.status}: ${body.slice(0, 200)}`,
            );
          }
        },
      ),
      { numRuns: 600 },
    );

    expect([...failures]).toEqual([]);
  });
});
