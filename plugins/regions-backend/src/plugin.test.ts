import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { expectJsonBodyChecks } from '@internal/portal-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import Router from 'express-promise-router';
import { repoRoot } from './__testUtils__/corpus';
import { startServer } from './__testUtils__/httpServer';
import { regionsPlugin } from './plugin';

jest.setTimeout(60_000);

const fixtures = path.resolve(__dirname, '../fixtures/argocd');

/** The observability engine's overview answer, as its API shapes it. */
const overview = {
  from: '2026-12-03T08:30:00.000Z',
  to: '2026-12-03T08:45:00.000Z',
  services: [
    {
      service: 'api-gateway',
      region: 'eu-west-1',
      requestRate: 30,
      errorRate: 0.01,
    },
    {
      service: 'graphql-service',
      region: 'eu-west-1',
      requestRate: 10,
      errorRate: 0,
    },
    {
      service: 'api-gateway',
      region: 'us-east-1',
      requestRate: 25,
      errorRate: 0.02,
    },
    {
      service: 'api-gateway',
      region: 'ap-southeast-1',
      requestRate: 12,
      errorRate: 0,
    },
    {
      service: 'auth-service',
      region: 'eu-west-1',
      requestRate: 4,
      errorRate: 0.1,
    },
  ],
};

/** Stands in for the observability engine: overview yes, /slos and /alerts not (404). */
const fakeObservability = createBackendPlugin({
  pluginId: 'observability',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = Router();
        router.get('/performance/overview', async (req, res) => {
          await httpAuth.credentials(req, { allow: ['service'] });
          res.json(overview);
        });
        httpRouter.use(router);
      },
    });
  },
});

describe('regions plugin', () => {
  const health: Record<string, number> = {
    'eu-west-1': 200,
    'us-east-1': 200,
    'ap-southeast-1': 200,
  };
  let regionsServer: Awaited<ReturnType<typeof startServer>>;
  let argocd: Awaited<ReturnType<typeof startServer>>;
  const argocdAuth: string[] = [];

  beforeAll(async () => {
    regionsServer = await startServer((req, res) => {
      res.statusCode = health[req.url!.slice(1)] ?? 404;
      res.end();
    });
    argocd = await startServer((req, res) => {
      argocdAuth.push(String(req.headers.authorization));
      const url = new URL(req.url!, 'http://x');
      const region = url.searchParams.get('selector')?.split('=')[1];
      const file = path.join(fixtures, `applications-${region}.json`);
      if (url.pathname !== '/api/v1/applications' || !fs.existsSync(file)) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(fs.readFileSync(file));
    });
  });

  afterAll(async () => {
    await regionsServer?.close();
    await argocd?.close();
  });

  function regionConfig(id: string, failover: string[], argocdUrl: string) {
    return {
      id,
      title: id,
      role: id === 'eu-west-1' ? 'primary' : 'secondary',
      latitude: 1,
      longitude: 2,
      healthEndpoints: [`${regionsServer.url}/${id}`],
      kubernetesCluster: `tms-${id}`,
      argocd: { url: argocdUrl, token: `token-${id}` },
      capacity: { requestsPerSecond: 50 },
      failover,
    };
  }

  async function start() {
    return startTestBackend({
      features: [
        regionsPlugin,
        // The real scheduler: the mock one runs each task once at start.
        schedulerServiceFactory,
        fakeObservability,
        mockServices.rootConfig.factory({
          data: {
            regions: {
              nginx: {
                configPath: path.join(
                  repoRoot,
                  'deploy/platform/nginx/nginx.conf',
                ),
              },
              rolloutOrder: ['ap-southeast-1', 'us-east-1', 'eu-west-1'],
              probes: {
                interval: { seconds: 1 },
                timeout: { milliseconds: 500 },
              },
              simulation: { enabled: true },
              list: [
                regionConfig('eu-west-1', ['us-east-1'], argocd.url),
                regionConfig('us-east-1', ['eu-west-1'], argocd.url),
                // This region's Argo CD does not answer at all.
                regionConfig(
                  'ap-southeast-1',
                  ['eu-west-1'],
                  'http://127.0.0.1:9',
                ),
              ],
            },
          },
        }),
      ],
    });
  }

  async function waitFor<T>(
    read: () => Promise<T>,
    done: (value: T) => boolean,
  ) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise(r => setTimeout(r, 100));
    }
  }

  it("reports live health, routes by nginx geo and moves a down region's clients", async () => {
    const backend = await start();
    const server = backend.server;
    try {
      const regions = await waitFor(
        async () =>
          (
            await request(server).get('/api/regions/regions')
          ).body.regions,
        (list: any[]) => list.every(r => r.health.state === 'healthy'),
      );
      expect(
        regions.map((r: any) => [r.id, r.health.state, r.failoverTarget]),
      ).toEqual([
        ['eu-west-1', 'healthy', 'us-east-1'],
        ['us-east-1', 'healthy', 'eu-west-1'],
        ['ap-southeast-1', 'healthy', 'eu-west-1'],
      ]);
      expect(regions[0].entityRef).toBe('resource:default/region-eu-west-1');

      const before = await request(server).get(
        '/api/regions/route?ip=23.1.2.3',
      );
      expect(before.body).toMatchObject({
        region: 'us-east-1',
        nginxRegion: 'us-east-1',
        network: '23.0.0.0/8',
        failedOver: false,
      });

      health['us-east-1'] = 503;
      const after = await waitFor(
        async () =>
          (
            await request(server).get('/api/regions/route?ip=23.1.2.3')
          ).body,
        body => body.region === 'eu-west-1',
      );
      expect(after).toMatchObject({
        region: 'eu-west-1',
        nginxRegion: 'us-east-1',
        failedOver: true,
        reason: 'us-east-1 is down; failover to eu-west-1',
      });

      const detail = await request(server).get(
        '/api/regions/regions/us-east-1?history=5',
      );
      expect(detail.body.health.state).toBe('down');
      expect(detail.body.servedBy).toBe('eu-west-1');
      expect(detail.body.history[0]).toMatchObject({
        outcome: 'fail',
        state: 'down',
      });
      expect(detail.body.history.length).toBeGreaterThanOrEqual(2);

      const batch = await request(server)
        .post('/api/regions/route')
        .send({
          requests: [
            { ip: '2a00:1450::1' },
            { ip: '198.51.100.4', xForwardedFor: '1.2.3.4' },
          ],
        });
      expect(
        batch.body.decisions.map((d: any) => [d.region, d.clientAddress]),
      ).toEqual([
        ['eu-west-1', '2a00:1450::1'],
        ['ap-southeast-1', '1.2.3.4'],
      ]);

      const bad = await request(server).get('/api/regions/route?ip=300.1.1.1');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(
        "'300.1.1.1' is not an IPv4 or IPv6 address",
      );
      expect(
        (await request(server).get('/api/regions/regions/mars-1')).status,
      ).toBe(404);

      // A misspelt key is named, not ignored, also where none is expected.
      const listKey = await request(server).get('/api/regions/regions?x=1');
      expect(listKey.status).toBe(400);
      expect(listKey.body.error.message).toBe(
        'invalid query: (root): Unrecognized key: "x"',
      );
      const misspelt = await request(server).get(
        '/api/regions/route?ip=1.2.3.4&xForwardedFro=5.6.7.8',
      );
      expect(misspelt.status).toBe(400);
      expect(misspelt.body.error.message).toBe(
        'invalid query: (root): Unrecognized key: "xForwardedFro"',
      );
      const history = await request(server).get(
        '/api/regions/regions/eu-west-1?histroy=5',
      );
      expect(history.status).toBe(400);
      expect(history.body.error.message).toContain('"histroy"');
      const batchKey = await request(server)
        .post('/api/regions/route')
        .send({ requests: [{ ip: '1.2.3.4', xff: '5.6.7.8' }] });
      expect(batchKey.status).toBe(400);
      expect(batchKey.body.error.message).toBe(
        'invalid body: requests.0: Unrecognized key: "xff"',
      );

      health['us-east-1'] = 200;
    } finally {
      await backend.stop();
    }
  });

  it('answers the what-if from current traffic and capacity', async () => {
    const backend = await start();
    const server = backend.server;
    try {
      const response = await request(server)
        .post('/api/regions/failover/what-if')
        .send({ down: ['eu-west-1'] });

      expect(response.status).toBe(200);
      const eu = response.body.regions.find(
        (r: any) => r.region === 'eu-west-1',
      );
      const us = response.body.regions.find(
        (r: any) => r.region === 'us-east-1',
      );
      expect(eu).toMatchObject({ down: true, totalRps: 0 });
      // eu-west-1's entry traffic (30 + 10) moves to us-east-1 (25 now).
      expect(us).toMatchObject({
        addedRps: 40,
        totalRps: 65,
        capacityRps: 50,
        capacityHolds: false,
      });
      expect(response.body.moves).toContainEqual({
        network: '2.0.0.0/8',
        from: 'eu-west-1',
        to: 'us-east-1',
      });
      expect(
        response.body.moves.every((m: any) => m.from === 'eu-west-1'),
      ).toBe(true);

      const unknown = await request(server)
        .post('/api/regions/failover/what-if')
        .send({ down: ['mars-1'] });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toBe(
        "what-if names unknown region 'mars-1'",
      );

      const misspelt = await request(server)
        .post('/api/regions/failover/what-if')
        .send({ down: ['eu-west-1'], drill: true });
      expect(misspelt.status).toBe(400);
      expect(misspelt.body.error.message).toBe(
        'invalid body: (root): Unrecognized key: "drill"',
      );

      await expectJsonBodyChecks((type, body) =>
        request(server)
          .post('/api/regions/failover/what-if')
          .set('Content-Type', type)
          .send(body),
      );
    } finally {
      await backend.stop();
    }
  });

  it("reads rollouts from each region's Argo CD, one unreachable instance failing only its region", async () => {
    const backend = await start();
    const server = backend.server;
    try {
      const response = await request(server).get('/api/regions/rollouts');

      expect(response.status).toBe(200);
      const [ap, us, eu] = response.body.regions;
      expect(ap.error).toMatch(
        /^Argo CD at http:\/\/127.0.0.1:9 could not be read/,
      );
      expect(
        us.applications.map((a: any) => [
          a.name,
          a.syncStatus,
          a.health,
          a.liveColour,
        ]),
      ).toEqual([
        ['api-gateway-us-east-1', 'OutOfSync', 'Progressing', 'blue'],
        ['auth-service-us-east-1', 'OutOfSync', 'Progressing', 'blue'],
        ['graphql-service-us-east-1', 'OutOfSync', 'Progressing', 'blue'],
      ]);
      expect(eu.applications[0].history[0]).toEqual({
        id: 11,
        revision: '3f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39',
        deployedAt: '2026-11-26T10:02:44Z',
      });
      expect(argocdAuth).toContain('Bearer token-us-east-1');
      expect(argocdAuth).toContain('Bearer token-eu-west-1');
      // With the first region unreadable the release is unknown; the
      // engine has no /slos or /alerts yet, and the answer says so.
      expect(response.body.signals).toEqual({
        slos: 'the observability engine has no /slos (404)',
        alerts:
          'the observability engine has no /alerts?state=firing&limit=500 (404)',
      });
      expect(response.body.releases[0].advice.decision).toBe('unknown');
    } finally {
      await backend.stop();
    }
  });

  it("reports the nginx rate limits with each API's traffic per region", async () => {
    const backend = await start();
    const server = backend.server;
    try {
      const response = await request(server).get('/api/regions/rate-limits');

      const api = response.body.limits.find((l: any) => l.zone === 'api');
      expect(api).toMatchObject({
        hosts: ['api.tms.example.com'],
        rate: '100r/s',
        burst: 200,
        rejectStatus: 429,
        service: 'api-gateway',
      });
      expect(api.regions[0]).toEqual({
        region: 'eu-west-1',
        requestRate: 30,
        errorRate: 0.01,
        rejectedRate: null,
      });
      // This stand-in engine's overview has no 429 counts.
      expect(response.body.rejected).toMatch(/answered 429/);
    } finally {
      await backend.stop();
    }
  });

  it('serves simulated health endpoints without a token', async () => {
    const backend = await start();
    const server = backend.server;
    try {
      const response = await request(server).get(
        '/api/regions/simulation/us-east-1/health',
      );
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('ok');
      expect(
        (await request(server).get('/api/regions/simulation/mars-1/health'))
          .status,
      ).toBe(404);
    } finally {
      await backend.stop();
    }
  });
});
