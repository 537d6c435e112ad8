import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { resolve } from 'node:path';
import { testRegion } from '../__testUtils__/regions';
import { RegionHealthStore } from '../database/RegionHealthStore';
import { startServer } from '../__testUtils__/httpServer';
import { HealthMonitor, nextHealth, servingRegion } from './HealthMonitor';

const MIGRATIONS = { directory: resolve(__dirname, '../../migrations') };
const settings = {
  intervalMs: 1000,
  timeoutMs: 300,
  failuresToDown: 2,
  successesToHealthy: 3,
  historyHours: 24,
};

function region(id: string, healthEndpoints: string[], failover: string[]) {
  return testRegion(id, failover, { healthEndpoints, capacityRps: 100 });
}

describe('nextHealth', () => {
  const start = {
    state: 'healthy' as const,
    consecutiveFailures: 0,
    consecutiveSuccesses: 5,
  };

  it('goes healthy -> degraded -> down on consecutive failures and back only after enough successes', () => {
    const one = nextHealth(start, 'fail', settings);
    const two = nextHealth(one, 'fail', settings);
    const back1 = nextHealth(two, 'ok', settings);
    const back2 = nextHealth(back1, 'ok', settings);
    const back3 = nextHealth(back2, 'ok', settings);

    expect([one, two, back1, back2, back3].map(s => s.state)).toEqual([
      'degraded',
      'down',
      'down',
      'down',
      'healthy',
    ]);
  });

  it('lets a failure between successes restart the count (no flapping back)', () => {
    let state = nextHealth(
      { state: 'down', consecutiveFailures: 2, consecutiveSuccesses: 0 },
      'ok',
      settings,
    );
    state = nextHealth(state, 'ok', settings);
    state = nextHealth(state, 'fail', settings);
    state = nextHealth(state, 'ok', settings);

    expect(state.state).toBe('down');
  });

  it('counts a partly answering region as degraded, not down', () => {
    expect(nextHealth(start, 'partial', settings).state).toBe('degraded');
  });
});

describe('servingRegion', () => {
  const regions = new Map(
    [
      region('eu-west-1', [], ['us-east-1']),
      region('us-east-1', [], ['eu-west-1']),
      region('ap-southeast-1', [], ['eu-west-1']),
    ].map(r => [r.id, r]),
  );

  it('follows the failover list onwards when the first choice is down too', () => {
    const down = new Set(['ap-southeast-1', 'eu-west-1']);
    expect(
      servingRegion(regions.get('ap-southeast-1')!, regions, id =>
        down.has(id),
      ),
    ).toBe('us-east-1');
    expect(
      servingRegion(regions.get('ap-southeast-1')!, regions, () => true),
    ).toBeUndefined();
  });
});

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'HealthMonitor on %s',
  databaseId => {
    it('probes the configured endpoints, stores states and history, and applies timeouts', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest(MIGRATIONS);
      const store = RegionHealthStore.fromKnex(knex);

      let euAnswer = 200;
      const requested: string[] = [];
      const server = await startServer((req, res) => {
        requested.push(req.url!);
        if (req.url === '/eu') {
          res.statusCode = euAnswer;
          res.end();
        } else if (req.url === '/us-a') {
          res.end('ok');
        }
        // /us-b never answers: the probe times out.
      });

      try {
        const monitor = HealthMonitor.create({
          regions: [
            region('eu-west-1', [`${server.url}/eu`], ['us-east-1']),
            region(
              'us-east-1',
              [`${server.url}/us-a`, `${server.url}/us-b`],
              ['eu-west-1'],
            ),
          ],
          settings,
          store,
          logger: mockServices.logger.mock(),
        });

        await monitor.probeRound();
        euAnswer = 503;
        await monitor.probeRound();
        const [eu, us] = await monitor.probeRound();

        expect(eu.state).toBe('down');
        expect(eu.lastProbe.endpoints[0]).toMatchObject({
          ok: false,
          status: 503,
        });
        expect(us.state).toBe('degraded');
        expect(us.lastProbe.outcome).toBe('partial');
        expect(us.lastProbe.endpoints[1].error).toBe('no answer within 300 ms');
        expect(us.lastProbe.latencyMs).toBeLessThan(1000);

        // Another replica reads the same states from the database.
        const states = await HealthMonitor.create({
          regions: [],
          settings,
          store,
          logger: mockServices.logger.mock(),
        }).states();
        expect(states.get('eu-west-1')?.state).toBe('down');

        const history = await monitor.history('eu-west-1', 10);
        expect(history.map(h => [h.outcome, h.state])).toEqual([
          ['fail', 'down'],
          ['fail', 'degraded'],
          ['ok', 'healthy'],
        ]);
        expect(new Set(requested)).toEqual(new Set(['/eu', '/us-a', '/us-b']));

        expect(await store.deleteHistoryBefore(Date.now() + 1)).toBe(6);
      } finally {
        await server.close();
      }
    });

    it('migrates down and up again', async () => {
      const knex = await databases.init(databaseId);

      await knex.migrate.latest(MIGRATIONS);
      expect(await knex.schema.hasTable('region_health')).toBe(true);
      await knex.migrate.rollback(MIGRATIONS, true);
      expect(await knex.schema.hasTable('region_health')).toBe(false);
      expect(await knex.schema.hasTable('region_health_history')).toBe(false);
      await knex.migrate.latest(MIGRATIONS);
      expect(await knex.schema.hasTable('region_health_history')).toBe(true);
    });
  },
);
