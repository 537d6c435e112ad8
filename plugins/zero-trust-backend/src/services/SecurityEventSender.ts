import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';

/** The event names the observability engine's security dashboard reads. */
export type SecurityEventName =
  | 'auth.login.succeeded'
  | 'auth.login.failed'
  | 'security.threat.detected'
  | 'security.ip.blocked'
  | 'security.ip.unblocked'
  | 'security.decision';

export type EventAttributes = Record<string, string | number | undefined>;

interface QueuedEvent {
  name: SecurityEventName;
  atMs: number;
  severity: 'INFO' | 'WARN';
  body: string;
  attributes: EventAttributes;
}

const SEVERITY_NUMBER = { INFO: 9, WARN: 13 };

export const SERVICE_NAME = 'zero-trust-engine';

export interface SenderOptions {
  /** Most events in one export request. */
  batchSize: number;
  /** How long an event may wait for its batch to fill. */
  flushIntervalMs: number;
  /** Events beyond this many waiting are dropped, oldest first. */
  maxQueue: number;
  /** Backoff before the first retry, doubled for each further one. */
  retryBaseMs: number;
  maxRetries: number;
}

function attribute(key: string, value: string | number) {
  return {
    key,
    value:
      typeof value === 'number' && Number.isInteger(value)
        ? { intValue: String(value) }
        : { stringValue: String(value) },
  };
}

/**
 * Sends security events to the observability engine as OTLP/JSON log
 * records over its real ingest route, with a service token. Sending never
 * blocks the caller: events queue, go out in batches, are retried with
 * backoff, and a failure shows in the engine's health instead of in a
 * decision.
 */
export class SecurityEventSender {
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;
  private readonly logger: LoggerService;
  private readonly options: SenderOptions;
  private readonly fetchFn: typeof fetch;
  private queue: QueuedEvent[] = [];
  private timer?: NodeJS.Timeout;
  private sending?: Promise<void>;
  private closing = false;
  private stats = {
    sent: 0,
    dropped: 0,
    failedExports: 0,
    lastError: undefined as string | undefined,
    lastErrorAtMs: undefined as number | undefined,
    lastSuccessAtMs: undefined as number | undefined,
  };

  static create(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    logger: LoggerService;
    sender?: Partial<SenderOptions>;
    fetch?: typeof fetch;
  }) {
    return new SecurityEventSender(options);
  }

  private constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    logger: LoggerService;
    sender?: Partial<SenderOptions>;
    fetch?: typeof fetch;
  }) {
    this.discovery = options.discovery;
    this.auth = options.auth;
    this.logger = options.logger;
    this.fetchFn = options.fetch ?? fetch;
    this.options = {
      batchSize: 500,
      flushIntervalMs: 200,
      maxQueue: 20_000,
      retryBaseMs: 250,
      maxRetries: 5,
      ...options.sender,
    };
  }

  get health() {
    return {
      queued: this.queue.length,
      ...this.stats,
      healthy:
        this.stats.lastErrorAtMs === undefined ||
        (this.stats.lastSuccessAtMs ?? 0) > this.stats.lastErrorAtMs,
    };
  }

  emit(
    name: SecurityEventName,
    body: string,
    attributes: EventAttributes,
    options: { severity?: 'INFO' | 'WARN'; atMs?: number } = {},
  ) {
    this.queue.push({
      name,
      body,
      attributes,
      severity: options.severity ?? 'INFO',
      atMs: options.atMs ?? Date.now(),
    });
    if (this.queue.length > this.options.maxQueue) {
      const excess = this.queue.length - this.options.maxQueue;
      this.queue.splice(0, excess);
      this.stats.dropped += excess;
    }
    if (this.queue.length >= this.options.batchSize) {
      this.kick();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.kick(), this.options.flushIntervalMs);
      this.timer.unref?.();
    }
  }

  /** Sends whatever is queued and waits for it; for tests and shutdown. */
  async flush() {
    this.kick();
    while (this.sending) {
      await this.sending;
    }
  }

  /**
   * Sends what is queued with one try each, without the backoff: at
   * shutdown the observability engine may already be gone.
   */
  async close() {
    this.closing = true;
    await this.flush();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private kick() {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.sending && this.queue.length > 0) {
      this.sending = this.drain().finally(() => {
        this.sending = undefined;
        if (this.queue.length > 0) {
          this.kick();
        }
      });
    }
  }

  private async drain() {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.batchSize);
      await this.sendWithRetries(batch);
    }
  }

  private async sendWithRetries(batch: QueuedEvent[]) {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.send(batch);
        this.stats.sent += batch.length;
        this.stats.lastSuccessAtMs = Date.now();
        return;
      } catch (error) {
        this.stats.failedExports += 1;
        this.stats.lastError = String(error);
        this.stats.lastErrorAtMs = Date.now();
        if (attempt >= this.options.maxRetries || this.closing) {
          this.stats.dropped += batch.length;
          this.logger.warn('Security events dropped after retries', {
            events: batch.length,
            error: String(error),
          });
          return;
        }
        const delay = this.options.retryBaseMs * 2 ** attempt;
        await new Promise(resolve => setTimeout(resolve, delay).unref?.());
      }
    }
  }

  private async send(batch: QueuedEvent[]) {
    const baseUrl = await this.discovery.getBaseUrl('observability');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'observability',
    });

    const response = await this.fetchFn(`${baseUrl}/v1/logs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(this.toOtlp(batch)),
    });
    if (!response.ok) {
      throw new Error(
        `observability answered ${response.status}: ${(
          await response.text()
        ).slice(0, 200)}`,
      );
    }
  }

  private toOtlp(batch: QueuedEvent[]) {
    return {
      resourceLogs: [
        {
          resource: {
            attributes: [attribute('service.name', SERVICE_NAME)],
          },
          scopeLogs: [
            {
              scope: { name: '@internal/backstage-plugin-zero-trust-backend' },
              logRecords: batch.map(event => ({
                timeUnixNano: `${BigInt(event.atMs) * 1_000_000n}`,
                observedTimeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`,
                severityNumber: SEVERITY_NUMBER[event.severity],
                severityText: event.severity,
                eventName: event.name,
                body: { stringValue: event.body },
                attributes: Object.entries(event.attributes).flatMap(
                  ([key, value]) =>
                    value === undefined ? [] : [attribute(key, value)],
                ),
              })),
            },
          ],
        },
      ],
    };
  }
}
