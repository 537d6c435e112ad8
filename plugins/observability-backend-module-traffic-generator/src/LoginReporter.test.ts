import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
// The engines the generator plays against, to run it end to end.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import observabilityPlugin from '@internal/backstage-plugin-observability-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import zeroTrustPlugin from '@internal/backstage-plugin-zero-trust-backend';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { LoginReporter } from './LoginReporter';
import { TrafficGenerator } from './TrafficGenerator';
import { ATTACKER_ADDRESSES } from './workload';

const LIMIT = 20;

describe('LoginReporter', () => {
  it('stops reporting once the backend answers that it has no zero-trust engine', async () => {
    const calls: string[] = [];
    const reporter = new LoginReporter({
      endpoint: async () => 'http://backend/api/zero-trust',
      headers: async () => ({}),
      fetch: async url => {
        calls.push(String(url));
        return new Response('', { status: 404 });
      },
    });

    reporter.report({
      user: 'a',
      clientAddress: '10.0.0.1',
      outcome: 'failed',
    });
    await new Promise(r => setTimeout(r, 20));
    reporter.report({
      user: 'a',
      clientAddress: '10.0.0.1',
      outcome: 'failed',
    });

    expect(calls).toEqual(['http://backend/api/zero-trust/logins']);
    expect(reporter.stats).toMatchObject({ sent: 0, engineAbsent: true });
  });

  it('gets the brute-force scenario blocked within a second of the limit', async () => {
    const { server } = await startTestBackend({
      features: [
        observabilityPlugin,
        zeroTrustPlugin,
        mockServices.database.factory(),
        mockServices.rootConfig.factory({
          data: { zeroTrust: { detection: { maxFailuresPerAddress: LIMIT } } },
        }),
      ],
    });
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}/api`;
    const headers = async () => ({
      Authorization: mockCredentials.service.header(),
    });

    // When each address's LIMIT-th failure went out.
    const sent = new Map<string, number>();
    const crossedAt = new Map<string, number>();
    const reporter = new LoginReporter({
      endpoint: async () => `${base}/zero-trust`,
      headers,
      fetch: async (url, init) => {
        const { clientAddress } = JSON.parse(String(init!.body));
        const count = (sent.get(clientAddress) ?? 0) + 1;
        sent.set(clientAddress, count);
        if (count === LIMIT) {
          crossedAt.set(clientAddress, Date.now());
        }
        return fetch(url, init);
      },
    });
    const generator = TrafficGenerator.create({
      endpoint: `${base}/observability`,
      encoding: 'json',
      headers,
      requestsPerSecond: 4,
      scenarios: ['brute-force'],
      loginReporter: reporter,
    });

    const blockedSeenAt = new Map<string, number>();
    generator.start();
    try {
      const deadline = Date.now() + 20_000;
      while (
        blockedSeenAt.size < ATTACKER_ADDRESSES.length &&
        Date.now() < deadline
      ) {
        await new Promise(r => setTimeout(r, 25));
        const blocks = await request(server)
          .get('/api/zero-trust/blocks')
          .set('Authorization', mockCredentials.user.header());
        for (const block of blocks.body.blocks) {
          if (!blockedSeenAt.has(block.clientAddress)) {
            blockedSeenAt.set(block.clientAddress, Date.now());
          }
        }
      }
    } finally {
      await generator.stop();
    }

    expect([...blockedSeenAt.keys()].sort()).toEqual(
      [...ATTACKER_ADDRESSES].sort(),
    );
    for (const address of ATTACKER_ADDRESSES) {
      const latencyMs = blockedSeenAt.get(address)! - crossedAt.get(address)!;
      expect(latencyMs).toBeGreaterThanOrEqual(0);
      expect(latencyMs).toBeLessThan(1000);
    }
    expect(reporter.stats.failed).toBe(0);
  }, 30_000);

  it('has each login counted once on the security dashboard', async () => {
    const { server } = await startTestBackend({
      features: [
        observabilityPlugin,
        zeroTrustPlugin,
        mockServices.database.factory(),
        mockServices.rootConfig.factory({
          data: { zeroTrust: { detection: { maxFailuresPerAddress: 5 } } },
        }),
      ],
    });
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}/api`;
    const headers = async () => ({
      Authorization: mockCredentials.service.header(),
    });

    // The attempts the engine took, by outcome.
    const reported = { succeeded: 0, failed: 0 };
    const reporter = new LoginReporter({
      endpoint: async () => `${base}/zero-trust`,
      headers,
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        if (response.ok) {
          const { outcome } = JSON.parse(String(init!.body));
          reported[outcome as 'succeeded' | 'failed'] += 1;
        }
        return response;
      },
    });
    const generator = TrafficGenerator.create({
      endpoint: `${base}/observability`,
      encoding: 'json',
      headers,
      requestsPerSecond: 20,
      scenarios: ['steady', 'brute-force'],
      loginReporter: reporter,
    });

    generator.start();
    await new Promise(r => setTimeout(r, 2500));
    await generator.stop();

    const dashboard = async () =>
      (
        await request(server)
          .get('/api/observability/security/dashboard')
          .set('Authorization', mockCredentials.user.header())
      ).body;
    // The engine's own events (the attack's threats and blocks) arrive in
    // batches; once they are in, every login has been reported too.
    let seen = await dashboard();
    const deadline = Date.now() + 10_000;
    while (
      (seen.threats.total === 0 ||
        seen.blockedIps.length < ATTACKER_ADDRESSES.length ||
        reporter.stats.sent !== reported.succeeded + reported.failed) &&
      Date.now() < deadline
    ) {
      await new Promise(r => setTimeout(r, 100));
      seen = await dashboard();
    }

    expect(reporter.stats).toMatchObject({ failed: 0, dropped: 0 });
    expect(reported.succeeded).toBeGreaterThan(0);
    expect(reported.failed).toBeGreaterThan(3 * 5);
    expect(seen.threats.total).toBeGreaterThan(0);
    expect(seen.authentication).toMatchObject({
      succeeded: reported.succeeded,
      failed: reported.failed,
      attempts: reported.succeeded + reported.failed,
    });
  }, 30_000);
});
