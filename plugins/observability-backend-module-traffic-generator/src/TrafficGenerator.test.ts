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
 * The generator against the real engine, through the SDK's exporters: what
 * it plays must arrive as traces, logs and service-graph edges.
 */
describe('TrafficGenerator', () => {
  it.each(['json', 'protobuf'] as const)(
    'delivers the platform over OTLP/%s',
    async encoding => {
      const { server } = await startTestBackend({
        features: [observabilityPlugin, mockServices.database.factory()],
      });
      const { port } = server.address() as AddressInfo;
      const generator = TrafficGenerator.create({
        endpoint: `http://127.0.0.1:${port}/api/observability`,
        encoding,
        headers: async () => ({
          Authorization: mockCredentials.service.header(),
        }),
        requestsPerSecond: 40,
        scenarios: ['steady', 'brute-force', 'regional-outage'],
        random: seededRandom(7),
      });

      const now = Date.now();
      for (let tick = 0; tick < 8; tick++) {
        generator.tick(now + tick * 250);
      }
      await generator.stop();

      const read = (path: string) =>
        request(server)
          .get(`/api/observability${path}`)
          .set('Authorization', mockCredentials.user.header());

      // The ticks run ahead of the clock: a window around them, so that
      // every query sees the same records.
      const window = `from=${new Date(
        now - 60_000,
      ).toISOString()}&to=${new Date(now + 60_000).toISOString()}`;

      const overview = await read('/performance/overview');
      const gatewayUsEast = overview.body.services.find(
        (s: { service: string; region: string }) =>
          s.service === 'api-gateway' && s.region === 'us-east-1',
      );
      // The outage scenario: us-east-1's gateway refuses everything.
      expect(gatewayUsEast.errorRate).toBe(1);

      const graph = await read('/service-graph');
      expect(graph.body.edges).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            source: 'api-gateway@eu-west-1',
            target: 'auth-service@eu-west-1',
            mtls: true,
          }),
        ]),
      );

      const attack = await read(
        `/logs?service=auth-service&severity=WARN&query=Login%20failed&${window}`,
      );
      expect(attack.body.logs.length).toBeGreaterThan(0);
      expect(attack.body.logs[0].attributes['client.address']).toMatch(
        /^(203\.0\.113\.7|198\.51\.100\.23|192\.0\.2\.44)$/,
      );
      expect(generator.requests).toBeGreaterThan(60);

      // Sign-ins as security events, next to the attack's failures.
      const signIns = await read(
        `/logs?service=auth-service&severity=INFO&query=Login%20succeeded&${window}`,
      );
      expect(signIns.body.logs.length).toBeGreaterThan(0);
      expect(signIns.body.logs[0]).toMatchObject({
        eventName: 'auth.login.succeeded',
        attributes: {
          'client.address': expect.stringMatching(/^198\.1[89]\./),
          'user.name': expect.stringMatching(/@tms\.example\.com$/),
        },
      });

      // Both kinds of login reach the security dashboard.
      const security = await read(`/security/dashboard?${window}`);
      expect(security.body.authentication.succeeded).toBe(
        signIns.body.logs.length,
      );
      expect(security.body.authentication.failed).toBe(attack.body.logs.length);

      // The business metrics, through the SDK's metric exporters.
      const business = await read('/business/metrics');
      expect(business.status).toBe(200);
      expect(business.body.activeUsers.total).toBeGreaterThan(0);
      expect(business.body.activeUsers.byRegion.length).toBeGreaterThan(0);
      expect(business.body.quizzes.started).toBeGreaterThanOrEqual(
        business.body.quizzes.completed,
      );
      expect(business.body.quizzes.completionRate).toBeGreaterThan(0);
      expect(business.body.quizzes.completionRate).toBeLessThanOrEqual(1);
      expect(business.body.safetyChecks.total).toBeGreaterThan(0);
      expect(business.body.invoices.generated).toBeGreaterThan(0);
      expect(business.body.customerSatisfaction.average).toBeGreaterThanOrEqual(
        1,
      );
      expect(business.body.customerSatisfaction.average).toBeLessThanOrEqual(5);
    },
  );
});
