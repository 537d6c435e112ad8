import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { ForwardedError } from '@backstage/errors';
import { MetricStore } from '../database/MetricStore';
import { TelemetryStore } from '../database/TelemetryStore';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes telemetry older than the retention period. Scheduled with global
 * scope, so that with several backend replicas one of them runs it.
 */
export class RetentionTask {
  private readonly store: TelemetryStore;
  private readonly metricStore: MetricStore;
  private readonly logger: LoggerService;
  private readonly retentionDays: number;

  static create(options: {
    store: TelemetryStore;
    metricStore: MetricStore;
    logger: LoggerService;
    retentionDays: number;
  }) {
    return new RetentionTask(options);
  }

  private constructor(options: {
    store: TelemetryStore;
    metricStore: MetricStore;
    logger: LoggerService;
    retentionDays: number;
  }) {
    this.store = options.store;
    this.metricStore = options.metricStore;
    this.logger = options.logger;
    this.retentionDays = options.retentionDays;
  }

  async schedule(scheduler: SchedulerService) {
    const schedule: SchedulerServiceTaskScheduleDefinition = {
      frequency: { hours: 1 },
      timeout: { minutes: 15 },
      initialDelay: { minutes: 1 },
      scope: 'global',
    };

    await scheduler.scheduleTask({
      id: 'observability-retention',
      ...schedule,
      fn: async () => {
        await this.run();
      },
    });
  }

  /** One pass: deletes what is older than the retention period. */
  async run(nowMs = Date.now()) {
    const cutoffMs = nowMs - this.retentionDays * DAY_MS;

    try {
      const deleted = {
        ...(await this.store.deleteOlderThan(cutoffMs)),
        metricPoints: await this.metricStore.deleteOlderThan(cutoffMs),
      };
      this.logger.info('Deleted telemetry past retention', {
        ...deleted,
        retentionDays: this.retentionDays,
      });
      return deleted;
    } catch (error) {
      throw new ForwardedError('Telemetry retention failed', error);
    }
  }
}
