import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { SeriesStore } from '../alerts/series';
import { ServiceDirectory } from '../alerts/ServiceDirectory';
import { burnRate, errorBudget } from './burnRate';
import { SloService } from './SloService';
import { SloTargetResolver } from './targets';

const T0 = Date.UTC(2026, 11, 3, 12);

/** Every window holds the same 1000 requests of two groups. */
const store: SeriesStore = {
  windowedCounts: async ({ windowsMs, slowThresholdsMs }) =>
    ['payment-service', 'quiz-service'].map(service => ({
      service,
      region: 'us-east-1',
      windows: windowsMs.map(() => ({
        requests: 1000,
        errors: 5,
        slow: slowThresholdsMs.map(ms => (ms < 2000 ? 40 : 10)),
      })),
    })),
  requestCounts: async () => [],
  p95: async () => [],
  eventCounts: async () => [],
};

const directory: ServiceDirectory = {
  annotations: () =>
    new Map([
      [
        'payment-service',
        {
          'tms.example.com/slo-availability': '99.5',
          'tms.example.com/slo-p95-ms': '1500',
          'tms.example.com/slo-error-rate': 'lots',
        },
      ],
    ]),
  owner: async () => undefined,
};

describe('SloService', () => {
  it('takes targets from defaults, then annotations, then config', async () => {
    const logger = mockServices.logger.mock();
    const slos = new SloService({
      store,
      directory,
      logger,
      longWindowRefreshMs: 60_000,
      targets: SloTargetResolver.fromConfig(
        new ConfigReader({
          observability: {
            slos: {
              services: {
                'payment-service': {
                  regions: { 'us-east-1': { errorRate: 0.002 } },
                },
              },
            },
          },
        }),
      ),
    });

    // The first call reads thresholds for groups it has not seen; the
    // second has them all.
    await slos.list(T0);
    const [payment, quiz] = await slos.list(T0 + 1000);

    expect(payment.targets).toEqual({
      availability: 0.995,
      p95Ms: 1500,
      errorRate: 0.002,
      periodDays: 30,
    });
    expect(quiz.targets).toEqual({
      availability: 0.999,
      p95Ms: 2000,
      errorRate: 0.01,
      periodDays: 30,
    });

    // 5 of 1000 fail: 0.5% against 0.5% allowed is 1; against 0.1%, 5.
    const availability = (s: typeof payment) =>
      s.objectives.find(o => o.name === 'availability')!;
    expect(availability(payment).burnRates['1h']).toBeCloseTo(1, 9);
    expect(availability(quiz).burnRates['1h']).toBeCloseTo(5, 9);
    // 40 of 1000 over 1500 ms, 10 of 1000 over 2000 ms, against 5%.
    const latency = (s: typeof payment) =>
      s.objectives.find(o => o.name === 'latency')!;
    expect(latency(payment).burnRates['5m']).toBeCloseTo(0.8, 9);
    expect(latency(quiz).burnRates['5m']).toBeCloseTo(0.2, 9);

    // The malformed annotation is reported once, not every evaluation.
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith('Ignored an SLO annotation', {
      problem: expect.stringContaining(
        "tms.example.com/slo-error-rate 'lots' ignored",
      ),
    });
  });

  it('refuses a target out of range in config, naming it', () => {
    expect(() =>
      SloTargetResolver.fromConfig(
        new ConfigReader({
          observability: { slos: { defaults: { availability: 99.9 } } },
        }),
      ),
    ).toThrow(
      'observability.slos.defaults.availability must be between 0 and 1 (exclusive), not 99.9',
    );
  });
});

describe('burn rate and error budget', () => {
  it('match hand-computed values and say no data for no requests', () => {
    // 14.4x: 1.44% errors against a 99.9% objective.
    expect(burnRate(144, 10_000, 0.999)).toBeCloseTo(14.4, 9);
    expect(burnRate(0, 0, 0.999)).toBeUndefined();

    // Half the budget of 99.9% over 30 days: 21.6 of 43.2 minutes left.
    const half = errorBudget(5, 10_000, 0.999, 30 * 86_400_000);
    expect(half.remainingFraction).toBeCloseTo(0.5, 9);
    expect(half.remainingMs / 60_000).toBeCloseTo(21.6, 6);

    const untouched = errorBudget(0, 0, 0.999, 30 * 86_400_000);
    expect(untouched.remainingFraction).toBe(1);
    expect(untouched.remainingMs / 60_000).toBeCloseTo(43.2, 6);
  });

  it('lets a tier burn only once its long window holds minRequests', async () => {
    // One failure in each window of a quiet service: 1 of 150 burns a
    // 99.9% budget 6.7 times over, at or above the medium tier's 6.
    const quiet: SeriesStore = {
      ...store,
      windowedCounts: async ({ windowsMs, slowThresholdsMs }) => [
        {
          service: 'feedback-service',
          region: 'eu-west-1',
          windows: windowsMs.map(() => ({
            requests: 150,
            errors: 1,
            slow: slowThresholdsMs.map(() => 0),
          })),
        },
      ],
    };
    const burning = async (minRequests: number) => {
      const slos = new SloService({
        store: quiet,
        logger: mockServices.logger.mock(),
        longWindowRefreshMs: 60_000,
        minRequests,
        targets: SloTargetResolver.fromConfig(new ConfigReader({})),
      });
      const [slo] = await slos.list(T0);
      const availability = slo.objectives.find(o => o.name === 'availability')!;
      expect(availability.burnRates['6h']).toBeCloseTo(6.67, 2);
      return availability.alerts.filter(a => a.burning).map(a => a.tier);
    };

    expect(await burning(0)).toEqual(['medium', 'slow']);
    expect(await burning(150)).toEqual(['medium', 'slow']);
    expect(await burning(151)).toEqual([]);
  });
});
