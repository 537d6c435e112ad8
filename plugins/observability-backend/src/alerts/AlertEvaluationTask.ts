import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { AlertEvaluator } from './AlertEvaluator';
import { NotificationOutbox } from './NotificationOutbox';

export const ALERT_EVALUATION_TASK_ID = 'observability-alert-evaluation';

/**
 * Evaluates the rules and delivers due notifications on the Backstage
 * scheduler with global scope: with several replicas, one of them runs
 * each evaluation. The store's unique keys guard against a second one all
 * the same.
 */
export async function scheduleAlertEvaluation(options: {
  scheduler: SchedulerService;
  evaluator: AlertEvaluator;
  outbox: NotificationOutbox;
  logger: LoggerService;
  intervalMs: number;
}) {
  const { scheduler, evaluator, outbox, logger, intervalMs } = options;
  await scheduler.scheduleTask({
    id: ALERT_EVALUATION_TASK_ID,
    frequency: { milliseconds: intervalMs },
    timeout: { minutes: 2 },
    scope: 'global',
    fn: async () => {
      const startedAt = Date.now();
      let timings = {};
      try {
        const result = await evaluator.evaluate();
        timings = result.timings;
        logger.debug('Alerts evaluated', {
          breaches: result.breaches,
          fired: result.fired.length,
          resolved: result.resolved.length,
        });
      } finally {
        const evaluatedAt = Date.now();
        await outbox.deliver().catch(error =>
          logger.error('Alert notification delivery failed', {
            error: String(error),
          }),
        );
        // An evaluation that outlasts its interval delays every alert.
        const tookMs = Date.now() - startedAt;
        if (tookMs > intervalMs) {
          logger.warn('Alert evaluation took longer than its interval', {
            evaluationMs: evaluatedAt - startedAt,
            ...timings,
            deliveryMs: Date.now() - evaluatedAt,
            intervalMs,
          });
        }
      }
    },
  });
}
