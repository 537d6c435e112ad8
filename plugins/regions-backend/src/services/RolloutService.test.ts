import fs from 'node:fs';
import path from 'node:path';
import { ArgoApplication } from '../argocd/ArgoCdClient';
import { referenceApplicationFile } from '../__testUtils__/argocdCrd';
import { readCorpusYaml } from '../__testUtils__/corpus';
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

describe('RolloutService with a freshly created Application', () => {
  /**
   * The corpus's reference Application (argoproj/argo-cd
   * docs/operator-manual/application.yaml): no status, as Argo CD lists an
   * Application it has not reconciled yet.
   */
  const fresh = () => readCorpusYaml<ArgoApplication>(referenceApplicationFile);

  /** Each region's answer: its fixture list with `edit` applied to it. */
  const editedFetch = (
    edit: (region: string, items: ArgoApplication[]) => ArgoApplication[],
  ) =>
    (async (input: URL | string) => {
      const url = new URL(String(input));
      const region = url.hostname.split('.')[1];
      const list = await (await argocdFetch(url)).json();
      list.items = edit(region, list.items);
      return new Response(JSON.stringify(list));
    }) as typeof fetch;

  const quiet = {
    slos: () => read([]),
    alerts: () => read([]),
  };

  it('reports it as unknown, with no revision or history, when every region answers only it', async () => {
    const status = await new RolloutService({
      regions,
      rolloutOrder: order,
      observability: quiet,
      fetch: editedFetch(() => [fresh()]),
    }).status();

    for (const region of status.regions) {
      expect(region.error).toBeUndefined();
      expect(region.applications).toEqual([
        {
          name: 'guestbook',
          service: 'guestbook',
          syncStatus: 'Unknown',
          health: 'Unknown',
          revision: undefined,
          targetRevision: 'HEAD',
          liveColour: undefined,
          history: [],
        },
      ]);
    }
    expect(status.releases).toEqual([
      {
        service: 'guestbook',
        revision: undefined,
        regions: order.map(region => ({
          region,
          stage: 'unknown',
          revision: undefined,
        })),
        nextRegion: 'ap-southeast-1',
        advice: {
          decision: 'unknown',
          reasons: ['ap-southeast-1: rollout state unknown'],
        },
      },
    ]);
    // The view is served as JSON: it must survive the round trip.
    expect(JSON.parse(JSON.stringify(status)).releases[0].advice.decision).toBe(
      'unknown',
    );
  });

  it('reports it as not yet running the release in a later region', async () => {
    // eu-west-1's api-gateway Application was just re-created: the
    // reference Application under the name and labels the portal gives it.
    const status = await new RolloutService({
      regions,
      rolloutOrder: order,
      observability: quiet,
      fetch: editedFetch((region, items) =>
        region !== 'eu-west-1'
          ? items
          : items.map(item => {
              if (item.metadata.labels?.app !== 'api-gateway') return item;
              const app = fresh();
              app.metadata = {
                ...app.metadata,
                name: item.metadata.name,
                labels: item.metadata.labels,
              };
              return app;
            }),
      ),
    }).status();

    const eu = status.regions.find(r => r.region === 'eu-west-1')!;
    expect(eu.applications[0]).toEqual(
      expect.objectContaining({
        name: 'api-gateway-eu-west-1',
        service: 'api-gateway',
        syncStatus: 'Unknown',
        health: 'Unknown',
        revision: undefined,
        history: [],
      }),
    );
    const gateway = status.releases.find(r => r.service === 'api-gateway')!;
    expect(gateway.revision).toBe('9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c');
    expect(gateway.regions).toEqual([
      {
        region: 'ap-southeast-1',
        stage: 'done',
        revision: '9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c',
      },
      {
        region: 'us-east-1',
        stage: 'in-progress',
        revision: '9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c',
      },
      { region: 'eu-west-1', stage: 'pending', revision: undefined },
    ]);
    expect(gateway.nextRegion).toBe('us-east-1');
    expect(gateway.advice.decision).toBe('hold');
  });
});
