import { NotificationService } from '@backstage/plugin-notifications-node';
import { ServiceDirectory } from './ServiceDirectory';
import { Alert } from './types';

export interface AlertNotification {
  alert: Alert;
  event: 'firing' | 'resolved';
}

/**
 * Somewhere alerts are pushed to, several at a time. `send` throws unless
 * every one arrived; all are then tried again.
 */
export interface NotificationTarget {
  readonly name: string;
  /** Wants open alerts again every resend interval (Alertmanager does). */
  readonly resends: boolean;
  send(notifications: AlertNotification[], nowMs: number): Promise<void>;
}

async function post(url: string, body: unknown, timeoutMs: number) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) {
    const text = (await response.text()).slice(0, 500);
    throw new Error(`${url} answered ${response.status}: ${text}`);
  }
}

/**
 * Alertmanager's v2 API. A firing alert carries an end a few resend
 * intervals ahead, as Prometheus does, so that Alertmanager resolves it by
 * itself if the engine stops resending; a resolved one ends when it
 * resolved.
 */
export class AlertmanagerTarget implements NotificationTarget {
  readonly name = 'alertmanager';
  readonly resends = true;

  constructor(
    private readonly options: {
      url: string;
      resendIntervalMs: number;
      generatorUrl: (alert: Alert) => string;
      timeoutMs?: number;
    },
  ) {}

  async send(notifications: AlertNotification[], nowMs: number) {
    const url = `${this.options.url.replace(/\/+$/, '')}/api/v2/alerts`;
    await post(
      url,
      notifications.map(({ alert, event }) => ({
        labels: alert.labels,
        annotations: alert.annotations,
        startsAt: new Date(alert.startsAtMs).toISOString(),
        endsAt: new Date(
          event === 'resolved'
            ? alert.resolvedAtMs ?? nowMs
            : nowMs + 4 * this.options.resendIntervalMs,
        ).toISOString(),
        generatorURL: this.options.generatorUrl(alert),
      })),
      this.options.timeoutMs ?? 5000,
    );
  }
}

/** A configured webhook: the alert as the API shows it, with the event. */
export class WebhookTarget implements NotificationTarget {
  readonly resends = false;

  constructor(
    readonly name: string,
    private readonly url: string,
    private readonly timeoutMs = 5000,
  ) {}

  async send(notifications: AlertNotification[]) {
    for (const { alert, event } of notifications) {
      await post(this.url, { event, alert }, this.timeoutMs);
    }
  }
}

/** A page is critical to its owner; a resolution is news, no more. */
function notificationSeverity(alert: Alert, event: 'firing' | 'resolved') {
  if (event === 'resolved') {
    return 'low';
  }
  return alert.severity === 'page' ? 'critical' : 'normal';
}

/** Backstage notifications to the owner of the service's Component. */
export class OwnerNotificationTarget implements NotificationTarget {
  readonly name = 'backstage';
  readonly resends = false;

  constructor(
    private readonly notifications: NotificationService,
    private readonly directory: ServiceDirectory,
    private readonly alertLink: (alert: Alert) => string,
  ) {}

  async send(notifications: AlertNotification[]) {
    for (const notification of notifications) {
      await this.notify(notification);
    }
  }

  private async notify({ alert, event }: AlertNotification) {
    const owner = await this.directory.owner(alert.service);
    if (!owner) {
      // No Component or no owner: nobody to tell, which is not a failure.
      return;
    }
    await this.notifications.send({
      recipients: { type: 'entity', entityRef: owner },
      payload: {
        title: `${event === 'firing' ? 'Firing' : 'Resolved'}: ${
          alert.annotations.summary ?? alert.ruleId
        }`,
        description: alert.annotations.description,
        link: this.alertLink(alert),
        severity: notificationSeverity(alert, event),
        topic: 'observability-alert',
        scope: alert.fingerprint,
      },
    });
  }
}
