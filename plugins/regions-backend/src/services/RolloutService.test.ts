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

const read = (data: unknown) =>
  Promise.resolve({ status: 'ok' as const, data });

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
          read({
            slos: [
              { service: 'auth-service', region: 'us-east-1', burnRate: 14.4 },
            ],
          }),
        alerts: () =>
          read([
            {
              name: 'HighErrorRate',
              labels: { service: 'api-gateway', region: 'ap-southeast-1' },
              state: 'firing',
            },
          ]),
      },
    });

    const { releases } = await rollouts.status();
    const advice = Object.fromEntries(releases.map(r => [r.service, r.advice]));

    expect(releases.every(r => r.nextRegion === 'eu-west-1')).toBe(true);
    expect(advice['api-gateway']).toEqual({
      decision: 'hold',
      reasons: ['open alert HighErrorRate on api-gateway in ap-southeast-1'],
    });
    expect(advice['auth-service']).toEqual({
      decision: 'hold',
      reasons: ['auth-service in us-east-1 burns its error budget at 14.4x'],
    });
    expect(advice['graphql-service'].decision).toBe('promote');
  });
});
