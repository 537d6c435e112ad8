import { LoggerService } from '@backstage/backend-plugin-api';
import { AlertStore } from './database/AlertStore';
import { NotificationTarget } from './targets';
import { Alert } from './types';

const BASE_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5 * 60_000;
const DELIVERED_KEPT_MS = 86_400_000;

/** Wait before the next attempt: doubling from 1 s, at most 5 min. */
export function backoffMs(attempts: number) {
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempts);
}

export interface OutboxHealth {
  status: 'ok' | 'failing';
  pending: number;
  failing: Array<{
    target: string;
    alertId: string;
    attempts: number;
    lastError?: string;
    nextAttemptAt: string;
  }>;
}

/**
 * Notifications are stored before they are sent and stay until a target
 * took them, so a target that is down gets them later, with backoff, even
 * across restarts.
 */
export class NotificationOutbox {
  constructor(
    private readonly store: AlertStore,
    private readonly targets: NotificationTarget[],
    private readonly logger: LoggerService,
  ) {}

  get targetNames() {
    return this.targets.map(t => t.name);
  }

  async enqueue(
    alert: Alert,
    event: 'firing' | 'resolved',
    nowMs: number,
    options: { resendOnly?: boolean } = {},
  ) {
    const targets = this.targets.filter(t => !options.resendOnly || t.resends);
    await this.store.enqueue(
      targets.map(t => ({ alertId: alert.id, target: t.name, event })),
      nowMs,
    );
  }

  /** Sends what is due; a target that fails is left alone for this pass. */
  async deliver(nowMs = Date.now()) {
    const due = await this.store.dueEntries(nowMs, 200);
    const failed = new Set<string>();
    const alerts = new Map<string, Alert | undefined>();

    for (const entry of due) {
      const target = this.targets.find(t => t.name === entry.target);
      if (!target) {
        // The target was removed from config: nothing will take it.
        await this.store.markDelivered(entry.id, nowMs);
        continue;
      }
      if (failed.has(target.name)) {
        await this.store.markFailed(
          entry.id,
          entry.lastError ?? 'waiting: the target failed in this pass',
          nowMs + backoffMs(entry.attempts),
        );
        continue;
      }
      if (!alerts.has(entry.alertId)) {
        alerts.set(entry.alertId, await this.store.getAlert(entry.alertId));
      }
      const alert = alerts.get(entry.alertId);
      if (!alert) {
        await this.store.markDelivered(entry.id, nowMs);
        continue;
      }

      try {
        await target.send(alert, entry.event, Date.now());
        await this.store.markDelivered(entry.id, Date.now());
      } catch (error) {
        failed.add(target.name);
        const message = String((error as Error)?.message ?? error);
        this.logger.warn('Alert notification failed, will retry', {
          target: target.name,
          alertId: alert.id,
          attempts: entry.attempts + 1,
          error: message,
        });
        await this.store.markFailed(
          entry.id,
          message,
          nowMs + backoffMs(entry.attempts),
        );
      }
    }

    await this.store.deleteDeliveredBefore(nowMs - DELIVERED_KEPT_MS);
  }

  async health(): Promise<OutboxHealth> {
    const [pending, failing] = await Promise.all([
      this.store.pendingCount(),
      this.store.failingEntries(),
    ]);
    return {
      status: failing.length > 0 ? 'failing' : 'ok',
      pending,
      failing: failing.map(entry => ({
        target: entry.target,
        alertId: entry.alertId,
        attempts: entry.attempts,
        lastError: entry.lastError,
        nextAttemptAt: new Date(entry.nextAttemptAtMs).toISOString(),
      })),
    };
  }
}
