import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
// The module's own plugin, to run the generator against the real engine.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import observabilityPlugin from '@internal/backstage-plugin-observability-backend';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { conditionsAt } from './scenarios';
import { TrafficGenerator } from './TrafficGenerator';

/** A small deterministic generator (mulberry32), so that runs repeat. */
function seededRandom(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/*
 * The done-when of alerting: the regional outage, played by the generator
 * in the fourth fifth of its cycle and sent through the SDK's exporters,
 * raises alerts through the engine's default SLOs alone.
 */
describe('the regional-outage scenario', () => {
  it('raises page alerts for us-east-1 through the default SLOs', async () => {
    const scheduler = mockServices.scheduler();
    const { server } = await startTestBackend({
      features: [
        observabilityPlugin,
        mockServices.database.factory(),
        // Three seconds make tens of requests per gateway, not the
        // thousands of an hour: the burn-rate windows may page on fewer.
        mockServices.rootConfig.factory({
          data: { observability: { slos: { minRequests: 20 } } },
        }),
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
      ],
    });
    const { port } = server.address() as AddressInfo;

    // A three-second cycle, so that the test lives through every fifth.
    const cycleMinutes = 0.05;
    const generator = TrafficGenerator.create({
      endpoint: `http://127.0.0.1:${port}/api/observability`,
      encoding: 'json',
      headers: async () => ({
        Authorization: mockCredentials.service.header(),
      }),
      requestsPerSecond: 60,
      scenarios: ['steady', 'regional-outage'],
      cycleMinutes,
      random: seededRandom(11),
    });
    const startedAtMs = Date.now();
    generator.start();
    await new Promise(resolve => setTimeout(resolve, 3200));
    await generator.stop();

    // The outage did happen in this run.
    const outageAt = startedAtMs + 0.7 * cycleMinutes * 60_000;
    expect(
      conditionsAt({
        scenarios: ['regional-outage'],
        cycleMinutes,
        startedAtMs,
        nowMs: outageAt,
      }).regionsDown,
    ).toEqual(['us-east-1']);

    await scheduler.triggerTask('observability-alert-evaluation');

    const response = await request(server)
      .get('/api/observability/alerts?state=firing&severity=page')
      .set('Authorization', mockCredentials.user.header());
    const pages = response.body.alerts.map(
      (a: any) => `${a.ruleId} ${a.service}@${a.region}`,
    );
    expect(pages).toEqual(
      expect.arrayContaining([
        'slo-availability-fast api-gateway@us-east-1',
        'slo-error-rate-fast api-gateway@us-east-1',
      ]),
    );
    // The gateways of the regions that stayed up do not page for their
    // availability at the fast rate: their errors are the workload's few.
    expect(pages).not.toContain('slo-availability-fast api-gateway@eu-west-1');
    expect(pages).not.toContain(
      'slo-availability-fast api-gateway@ap-southeast-1',
    );
  });

  it('pages nobody for an hour of steady traffic, and us-east-1 for its outage', async () => {
    const scheduler = mockServices.scheduler();
    const { server } = await startTestBackend({
      features: [
        observabilityPlugin,
        mockServices.database.factory(),
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
      ],
    });
    const { port } = server.address() as AddressInfo;
    const random = seededRandom(23);
    const generator = (scenarios: Array<'steady' | 'regional-outage'>) =>
      TrafficGenerator.create({
        endpoint: `http://127.0.0.1:${port}/api/observability`,
        encoding: 'json',
        headers: async () => ({
          Authorization: mockCredentials.service.header(),
        }),
        requestsPerSecond: 1,
        scenarios,
        random,
      });

    // The last hour played tick by tick: 50 minutes of steady traffic,
    // then 10 with us-east-1 down. Steady traffic keeps every group's few
    // failures, and gives the small services fewer requests than a
    // burn-rate window needs to page.
    const nowMs = Date.now();
    const play = async (
      played: TrafficGenerator,
      fromMs: number,
      toMs: number,
    ) => {
      for (let t = fromMs; t < toMs; t += 250) {
        played.tick(t);
        // Every ten minutes played, a second for the batches to go out:
        // the exporter takes a bounded number of exports at once.
        if ((t - fromMs) % 600_000 === 599_750) {
          await new Promise(resolve => setTimeout(resolve, 1100));
        }
      }
      await played.stop();
    };
    await play(generator(['steady']), nowMs - 3_600_000, nowMs - 600_000);
    await play(
      generator(['steady', 'regional-outage']),
      nowMs - 600_000,
      nowMs,
    );

    await scheduler.triggerTask('observability-alert-evaluation');

    const response = await request(server)
      .get('/api/observability/alerts?state=firing&severity=page&limit=500')
      .set('Authorization', mockCredentials.user.header());
    const pages = response.body.alerts
      .map((a: any) => `${a.service}@${a.region}`)
      .sort();
    expect(pages.length).toBeGreaterThan(0);
    expect([...new Set(pages)]).toEqual(['api-gateway@us-east-1']);

    // Traffic did reach every region: eu-west-1's gateway has its SLOs,
    // with its few failures far from burning.
    const slos = await request(server)
      .get('/api/observability/slos')
      .set('Authorization', mockCredentials.user.header());
    const gatewayEu = slos.body.slos.find(
      (s: any) => s.id === 'api-gateway@eu-west-1',
    );
    expect(
      gatewayEu.objectives.find((o: any) => o.name === 'availability').sli,
    ).toBeGreaterThan(0.999);
  }, 90_000);
});
