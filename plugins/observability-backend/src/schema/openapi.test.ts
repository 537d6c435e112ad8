import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { createAlertsRouter } from '../alertsRouter';
import { observabilityPlugin } from '../plugin';
import { createRouter } from '../router';
import { readOpenApiDocument } from './openapi';

const ENTITY = resolve(
  __dirname,
  '../../../../catalog/apis/tms-observability-api.yaml',
);

const USER = mockCredentials.user.header();

/**
 * The routes an express router serves, as `get /traces/{traceId}`, also
 * those of the routers it hands requests to.
 */
function servedRoutes(router: any): string[] {
  return router.stack.flatMap((layer: any) => {
    if (!layer.route) {
      return layer.handle.stack ? servedRoutes(layer.handle) : [];
    }
    return Object.keys(layer.route.methods).map(
      method => `${method} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`,
    );
  });
}

describe('the OpenAPI document', () => {
  it('describes every route the two routers serve, and no other', async () => {
    // Only the routes are read; the services behind them are not called.
    const served = [
      ...servedRoutes(await createRouter({} as any)),
      ...servedRoutes(
        createAlertsRouter({
          httpAuth: mockServices.httpAuth(),
          alerts: {} as any,
          slos: {} as any,
        }),
      ),
    ]
      .filter(route => route !== 'get /openapi.json')
      .sort();
    const document = readOpenApiDocument() as any;
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) =>
        Object.keys(item as object)
          .filter(key => ['get', 'post', 'put', 'delete'].includes(key))
          .map(method => `${method} ${path}`),
      )
      .sort();

    expect(documented).toEqual(served);
  });

  it('allows reserved characters in every free-form string query parameter', () => {
    const document = readOpenApiDocument() as any;
    const dereference = (p: any) =>
      p.$ref ? document.components.parameters[p.$ref.split('/').pop()] : p;
    const strict = Object.entries(document.paths).flatMap(
      ([path, item]: [string, any]) =>
        Object.values(item)
          .flatMap((operation: any) => operation?.parameters ?? [])
          .map(dereference)
          .filter(
            (p: any) =>
              p.in === 'query' &&
              p.schema?.type === 'string' &&
              !p.schema.enum &&
              !p.schema.pattern &&
              !p.allowReserved,
          )
          .map((p: any) => `${path} ${p.name}`),
    );

    expect(strict).toEqual([]);
  });

  it('is what the catalog entity inlines', () => {
    // Run scripts/inline-openapi.mjs when this fails.
    const entity = parse(readFileSync(ENTITY, 'utf8'));

    expect(parse(entity.spec.definition)).toEqual(readOpenApiDocument());
  });

  describe('enforced by the router', () => {
    let server: Parameters<typeof request>[0];

    beforeAll(async () => {
      const backend = await startTestBackend({
        features: [observabilityPlugin, mockServices.database.factory()],
      });
      server = backend.server;
    });

    it.each([
      [
        '/business/metrics?region=',
        "Empty value found for query parameter 'region'",
      ],
      ['/metrics/points?limit=many', 'request/query/limit must be integer'],
      ['/metrics/points?limit=1001', 'request/query/limit must be <= 1000'],
      [
        '/security/dashboard?to=noon',
        'request/query/to must match format "date-time"',
      ],
      ['/traces?region=eu-west-1', "Unknown query parameter 'region'"],
      ['/alerts?limit=0', 'request/query/limit must be >= 1'],
      [
        '/alerts?state=burning',
        'request/query/state must be equal to one of the allowed values: firing, acknowledged, resolved',
      ],
      ['/alert-rules?x=1', "Unknown query parameter 'x'"],
      ...['/logs', '/traces', '/metrics/points', '/performance/overview'].map(
        route => [
          `${route}?from=2026-12-04T18:00:00Z&to=2026-12-04T17:00:00Z`,
          'Invalid from: from must be before to',
        ],
      ),
    ])('answers %s with a 400 naming the problem', async (path, message) => {
      const response = await request(server)
        .get(`/api/observability${path}`)
        .set('Authorization', USER);

      expect(response.status).toBe(400);
      expect(response.body.error).toEqual({ name: 'InputError', message });
    });

    // URLSearchParams (the pages' client) writes a space as '+', and
    // people write timestamps with ':' unencoded: both are values, not
    // syntax, and free text may hold any reserved character.
    it.each([
      '/logs?query=answered+200',
      "/logs?query=a*(b)!'",
      '/alerts/history?from=2026-12-04T17:00:00Z&to=2026-12-04T18:20:00Z',
      '/alerts?service=api-gateway&region=us-east-1',
      '/metrics/points?name=tms.quiz.completed',
    ])('answers %s', async path => {
      const response = await request(server)
        .get(`/api/observability${path}`)
        .set('Authorization', USER);

      expect(response.status).toBe(200);
    });

    it('leaves credentials to Backstage', async () => {
      const { server: open } = await startTestBackend({
        features: [
          observabilityPlugin,
          mockServices.database.factory(),
          mockServices.rootConfig.factory({
            data: {
              observability: { unauthenticatedPaths: ['/health', '/metrics'] },
            },
          }),
        ],
      });

      // The document asks for a bearer token; the configuration opens
      // /metrics, and the configuration wins.
      const metrics = await request(open).get('/api/observability/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('tms_observability_ingested_items_total');
    });

    it('serves the document it enforces', async () => {
      const response = await request(server)
        .get('/api/observability/openapi.json')
        .set('Authorization', USER);

      expect(response.status).toBe(200);
      expect(Object.keys(response.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/observability/v1/metrics',
          '/api/observability/business/metrics',
          '/api/observability/security/dashboard',
          '/api/observability/alerts',
          '/api/observability/slos/{id}',
        ]),
      );
    });
  });
});
