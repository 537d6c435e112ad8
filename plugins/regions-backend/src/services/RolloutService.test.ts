import fs from 'node:fs';
import path from 'node:path';
import { testRegion } from '../__testUtils__/regions';
import { RolloutService } from './RolloutService';

const fixtures = path.resolve(__dirname, '../../fixtures/argocd');
const order = ['ap-southeast-1', 'us-east-1', 'eu-west-1'];

const regions = order.map(id =>
  testRegion(id, [], {
    argocd: { url: `https://argocd.${id}.example.com`, token: `t-${id}` },
  }),
);

/** Serves the recorded Argo CD answers for each instance's URL. */
const argocdFetch = (async (input: URL | string) => {
  const url = new URL(String(input));
  const region = url.hostname.split('.')[1];
  const body = fs.readFileSync(
    path.join(fixtures, `applications-${region}.json`),
    'utf8',
  );
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
}) as typeof fetch;

function service(
  observability: ConstructorParameters<
    typeof RolloutService
  >[0]['observability'],
) {
  return new RolloutService({
    regions,
    rolloutOrder: order,
    observability,
    fetch: argocdFetch,
  });
}

const read = <T>(data: T) => Promise.resolve({ status: 'ok' as const, data });

/** An SLO objective as the engine answers it, burning or not. */
function objective(name: string, burn1h: number, burningTier?: string) {
  return {
    name,
    burnRates: { '5m': burn1h, '1h': burn1h, '6h': burn1h },
    alerts: ['fast', 'medium', 'slow'].map(tier => ({
      tier,
      severity: tier === 'slow' ? 'ticket' : 'page',
      longWindow: tier === 'fast' ? '1h' : '6h',
      burning: tier === burningTier,
    })),
  };
}

describe('RolloutService', () => {
  it('places each release along the region order with its live colour', async () => {
    const status = await service({
      slos: () => read([]),
      alerts: () => read([]),
    }).status();

    expect(status.order).toEqual(order);
    expect(status.regions.map(r => r.applications[0].liveColour)).toEqual([
      'green',
      'blue',
      'blue',
    ]);
    const gateway = status.releases.find(r => r.service === 'api-gateway')!;
    expect(gateway.revision).toBe('9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c');
    expect(gateway.regions.map(r => r.stage)).toEqual([
      'done',
      'in-progress',
      'pending',
    ]);
    expect(gateway.nextRegion).toBe('us-east-1');
    expect(gateway.advice).toEqual({
      decision: 'hold',
      reasons: ['us-east-1 is still syncing the release'],
    });
  });

  it('holds on a firing alert or a fast burn in a region that runs the release', async () => {
    const synced = (async (input: URL | string) => {
      const response = await argocdFetch(input as URL);
      const list = await response.json();
      for (const item of list.items) {
        item.status.sync.status = 'Synced';
        item.status.health.status = 'Healthy';
      }
      return new Response(JSON.stringify(list));
    }) as typeof fetch;
    const rollouts = new RolloutService({
      regions,
      rolloutOrder: order,
      fetch: synced,
      observability: {
        slos: () =>
          read([
            {
              id: 'auth-service@us-east-1',
              service: 'auth-service',
              region: 'us-east-1',
              objectives: [
                objective('availability', 14.4, 'fast'),
                objective('latency', 1.5),
                objective('error_rate', 0.2),
              ],
            },
            {
              // Not yet running the release there: no reason to hold.
              id: 'graphql-service@eu-west-1',
              service: 'graphql-service',
              region: 'eu-west-1',
              objectives: [objective('availability', 30, 'fast')],
            },
          ]),
        alerts: () =>
          read([
            {
              id: 'a'.repeat(32),
              ruleId: 'gateway-errors',
              severity: 'page',
              service: 'api-gateway',
              region: 'ap-southeast-1',
              state: 'acknowledged' as const,
              annotations: { summary: 'error_rate of api-gateway is 0.2' },
            },
          ]),
      },
    });

    const { releases } = await rollouts.status();
    const advice = Object.fromEntries(releases.map(r => [r.service, r.advice]));

    expect(releases.every(r => r.nextRegion === 'eu-west-1')).toBe(true);
    expect(advice['api-gateway']).toEqual({
      decision: 'hold',
      reasons: [
        'open alert gateway-errors (page, acknowledged) on api-gateway in ap-southeast-1: error_rate of api-gateway is 0.2',
      ],
    });
    expect(advice['auth-service']).toEqual({
      decision: 'hold',
      reasons: [
        'auth-service in us-east-1 burns its availability error budget at 14.4x over 1h (fast burn-rate page)',
        'auth-service in us-east-1 burns its latency error budget at 1.5x over 1h',
      ],
    });
    expect(advice['graphql-service'].decision).toBe('promote');
  });
});
