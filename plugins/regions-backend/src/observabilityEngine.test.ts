import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
// The engine this plugin reads, so that the two meet as in the portal.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import observabilityPlugin from '@internal/backstage-plugin-observability-backend';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { repoRoot } from './__testUtils__/corpus';
import { startServer } from './__testUtils__/httpServer';
import { regionsPlugin } from './plugin';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const fixtures = path.resolve(__dirname, '../fixtures/argocd');

/**
 * Server spans of api-gateway in one region over the last minute, each
 * answering one of the statuses, as OTLP/JSON.
 */
function gatewaySpans(region: string, statuses: number[], seed: string) {
  const nowMs = Date.now();
  const spans = statuses.map((status, i) => {
    const start = BigInt(nowMs - 60_000 + i * 200) * 1_000_000n;
    const id = `${seed}${i.toString(16).padStart(15, '0')}`;
    return {
      traceId: `${id}${id}`,
      spanId: id,
      kind: 2,
      name: 'GET /api/quizzes',
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 4_000_000n),
      status: status >= 500 ? { code: 2 } : {},
      attributes: [
        { key: 'http.response.status_code', value: { intValue: status } },
      ],
    };
  });
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'api-gateway' } },
            { key: 'cloud.region', value: { stringValue: region } },
          ],
        },
        scopeSpans: [{ spans }],
      },
    ],
  };
}

describe.each(databases.eachSupportedId())(
  'the regions plugin on the observability engine on %s',
  databaseId => {
    let argocd: Awaited<ReturnType<typeof startServer>>;
    let server: Parameters<typeof request>[0];
    const scheduler = mockServices.scheduler();

    beforeAll(async () => {
      argocd = await startServer((req, res) => {
        const url = new URL(req.url!, 'http://x');
        const region = url.searchParams.get('selector')?.split('=')[1];
        const file = path.join(fixtures, `applications-${region}.json`);
        res.setHeader('content-type', 'application/json');
        res.end(fs.readFileSync(file));
      });
      const region = (id: string) => ({
        id,
        title: id,
        role: id === 'eu-west-1' ? 'primary' : 'secondary',
        latitude: 1,
        longitude: 2,
        healthEndpoints: ['http://127.0.0.1:9/health'],
        kubernetesCluster: `tms-${id}`,
        argocd: { url: argocd.url, token: `token-${id}` },
        capacity: { requestsPerSecond: 50 },
        failover: [id === 'eu-west-1' ? 'us-east-1' : 'eu-west-1'],
      });
      // A database of its own for each plugin, as in the portal: both
      // keep knex migrations.
      const knexes = {
        regions: await databases.init(databaseId),
        observability: await databases.init(databaseId),
      };
      const backend = await startTestBackend({
        features: [
          regionsPlugin,
          observabilityPlugin,
          createServiceFactory({
            service: coreServices.database,
            deps: { plugin: coreServices.pluginMetadata },
            factory: ({ plugin }) =>
              mockServices.database({
                knex: knexes[plugin.getId() as keyof typeof knexes],
                migrations: { skip: false },
              }),
          }),
          // Alert evaluations run when the test says so.
          createServiceFactory({
            service: coreServices.scheduler,
            deps: {},
            factory: () => scheduler,
          }),
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
                list: ['eu-west-1', 'us-east-1', 'ap-southeast-1'].map(region),
              },
            },
          }),
        ],
      });
      server = backend.server;

      // ap-southeast-1, which already runs the new release, fails every
      // request; eu-west-1's gateway refuses 30 of 100 with 429.
      for (const body of [
        gatewaySpans('ap-southeast-1', Array(250).fill(503), 'a'),
        gatewaySpans(
          'eu-west-1',
          [...Array(30).fill(429), ...Array(70).fill(200)],
          'b',
        ),
      ]) {
        await request(server)
          .post('/api/observability/v1/traces')
          .set('Authorization', mockCredentials.service.header())
          .send(body)
          .expect(200);
      }
      await scheduler.triggerTask('observability-alert-evaluation');
    });

    afterAll(async () => {
      await argocd?.close();
    });

    it("holds a promotion on the engine's burning SLOs and firing alerts", async () => {
      const response = await request(server).get('/api/regions/rollouts');

      expect(response.status).toBe(200);
      expect(response.body.signals).toEqual({ slos: 'read', alerts: 'read' });
      const gateway = response.body.releases.find(
        (r: any) => r.service === 'api-gateway',
      );
      expect(gateway.advice.decision).toBe('hold');
      expect(gateway.advice.reasons).toEqual(
        expect.arrayContaining([
          'us-east-1 is still syncing the release',
          'api-gateway in ap-southeast-1 burns its availability error budget at 1000x over 1h (fast burn-rate page)',
          expect.stringMatching(
            /^open alert slo-availability-fast \(page, firing\) on api-gateway in ap-southeast-1: api-gateway in ap-southeast-1 burns its availability error budget/,
          ),
        ]),
      );
      // eu-west-1 does not run the release yet: its 429s hold nothing.
      expect(
        gateway.advice.reasons.filter((r: string) => r.includes('eu-west-1')),
      ).toEqual([]);
    });

    it("reads each API's 429 rate per region", async () => {
      const response = await request(server).get('/api/regions/rate-limits');

      expect(response.status).toBe(200);
      expect(response.body.rejected).toMatch(/answered 429/);
      const api = response.body.limits.find((l: any) => l.zone === 'api');
      const byRegion = Object.fromEntries(
        api.regions.map((r: any) => [r.region, r]),
      );
      // 30 over the engine's 15-minute window.
      expect(byRegion['eu-west-1'].rejectedRate).toBeCloseTo(30 / 900, 6);
      expect(byRegion['ap-southeast-1'].rejectedRate).toBe(0);
      expect(byRegion['us-east-1'].rejectedRate).toBeNull();
    });
  },
);
