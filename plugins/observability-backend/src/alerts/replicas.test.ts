import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DatabaseTelemetryStore } from '../database/DatabaseTelemetryStore';
import { observabilityPlugin } from '../plugin';
import { ALERT_EVALUATION_TASK_ID } from './AlertEvaluationTask';
import { requestSpan } from './testing';

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

/*
 * Two backends on one PostgreSQL database with the real scheduler: the
 * evaluation is one global task, and the alert and its notification exist
 * once however the two replicas interleave.
 */
describe('two replicas on one PostgreSQL', () => {
  it('fire one alert and queue one notification', async () => {
    const knex = await databases.init('POSTGRES_15');
    const config = {
      observability: {
        alerts: {
          evaluationInterval: '1s',
          rules: [
            {
              id: 'quiz-errors',
              series: 'error_rate',
              window: '5m',
              operator: '>',
              threshold: 0.05,
              severity: 'page',
            },
          ],
        },
        slos: { burnRateAlerts: false },
      },
    };
    const loggers = [mockServices.logger.mock(), mockServices.logger.mock()];
    const replica = (index: number) =>
      startTestBackend({
        features: [
          observabilityPlugin,
          createServiceFactory({
            service: coreServices.logger,
            deps: {},
            factory: () => loggers[index],
          }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({ data: config }),
          schedulerServiceFactory,
          catalogServiceMock.factory(),
        ],
      });
    // One after the other, as a rollout starts them: the first creates the
    // tables (knex cannot create its migrations table twice at once).
    const backends = [await replica(0), await replica(1)];

    try {
      const telemetry = await DatabaseTelemetryStore.create({
        database: mockServices.database({ knex }),
        skipMigrations: true,
      });
      const now = Date.now();
      await telemetry.insertSpans(
        Array.from({ length: 20 }, (_, i) =>
          requestSpan({
            service: 'quiz-service',
            region: 'eu-west-1',
            startMs: now - 20_000 + i * 500,
            durationMs: 80,
            failed: i % 4 === 0,
          }),
        ),
      );

      // Several evaluation intervals pass, on either replica.
      const waitedFrom = Date.now();
      await new Promise(resolve => setTimeout(resolve, 4000));
      const intervals = (Date.now() - waitedFrom) / 1000;

      const alerts = await knex('alerts').select('rule_id', 'occurrence');
      expect(alerts).toEqual([{ rule_id: 'quiz-errors', occurrence: 1 }]);
      const outbox = await knex('alert_outbox').select('target', 'event');
      expect(outbox).toEqual([{ target: 'backstage', event: 'firing' }]);
      // One evaluation per interval between both, not one each: two
      // replicas with local tasks would make about twice as many.
      const evaluations = loggers.map(
        logger =>
          logger.debug.mock.calls.filter(([m]) => m === 'Alerts evaluated')
            .length,
      );
      const total = evaluations[0] + evaluations[1];
      expect(total).toBeGreaterThanOrEqual(Math.floor(intervals) - 1);
      expect(total).toBeLessThanOrEqual(Math.ceil(intervals) + 1);
      const tasks = await knex('backstage_backend_tasks__tasks').where(
        'id',
        ALERT_EVALUATION_TASK_ID,
      );
      expect(tasks).toHaveLength(1);
    } finally {
      await Promise.all(backends.map(b => b.stop()));
    }
  }, 30_000);
});
