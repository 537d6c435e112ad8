import { LoggerService } from '@backstage/backend-plugin-api';
import { AlertStore } from './database/AlertStore';
import { NotificationTarget } from './targets';
import { Alert, OutboxEntry } from './types';

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
    alerts: Alert[],
    event: 'firing' | 'resolved',
    nowMs: number,
    options: { resendOnly?: boolean } = {},
  ) {
    const targets = this.targets.filter(t => !options.resendOnly || t.resends);
    await this.store.enqueue(
      alerts.flatMap(alert =>
        targets.map(t => ({ alertId: alert.id, target: t.name, event })),
      ),
      nowMs,
    );
  }

  /**
   * Sends what is due, oldest first, each target's share in one call. A
   * target that fails keeps its share for the next attempt.
   */
  async deliver(nowMs = Date.now()) {
    const due = await this.store.dueEntries(nowMs, 500);
    const alerts = new Map(
      (await this.store.getAlerts([...new Set(due.map(e => e.alertId))])).map(
        a => [a.id, a],
      ),
    );

    const gone: number[] = [];
    const byTarget = new Map<NotificationTarget, OutboxEntry[]>();
    for (const entry of due) {
      const target = this.targets.find(t => t.name === entry.target);
      // A target removed from config, or an alert no longer stored: nothing
      // will take these.
      if (!target || !alerts.has(entry.alertId)) {
        gone.push(entry.id);
        continue;
      }
      byTarget.set(target, [...(byTarget.get(target) ?? []), entry]);
    }
    await this.store.markDelivered(gone, nowMs);

    for (const [target, entries] of byTarget) {
      const items = entries.map(entry => ({
        alert: alerts.get(entry.alertId)!,
        event: entry.event,
      }));
      try {
        await target.send(items, Date.now());
        await this.store.markDelivered(
          entries.map(e => e.id),
          Date.now(),
        );
      } catch (error) {
        const message = String((error as Error)?.message ?? error);
        this.logger.warn('Alert notification failed, will retry', {
          target: target.name,
          notifications: entries.length,
          error: message,
        });
        for (const entry of entries) {
          await this.store.markFailed(
            entry.id,
            message,
            nowMs + backoffMs(entry.attempts),
          );
        }
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
