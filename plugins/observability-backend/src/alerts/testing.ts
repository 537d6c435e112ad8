import { LogRecord } from '../otlp/readLogsRequest';
import { SpanRecord } from '../otlp/readTraceRequest';
import { AlertNotification, NotificationTarget } from './targets';

let counter = 0;

/** A server span of one request, for tests. */
export function requestSpan(options: {
  service: string;
  region: string;
  startMs: number;
  durationMs: number;
  failed?: boolean;
  route?: string;
}): SpanRecord {
  counter += 1;
  const start = BigInt(options.startMs) * 1_000_000n;
  return {
    traceId: counter.toString(16).padStart(32, '0'),
    spanId: counter.toString(16).padStart(16, '0'),
    name: options.route ?? 'GET /api/quizzes/:id',
    kind: 2,
    service: options.service,
    region: options.region,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + BigInt(options.durationMs) * 1_000_000n),
    statusCode: options.failed ? 2 : 0,
    attributes: {},
    events: [],
    links: [],
    resourceAttributes: {},
    scope: { name: 'test', version: '1' },
  };
}

/** A log record with an event name, for tests. */
export function eventRecord(options: {
  service: string;
  region: string;
  timeMs: number;
  eventName: string;
}): LogRecord {
  const time = String(BigInt(options.timeMs) * 1_000_000n);
  return {
    timeUnixNano: time,
    observedTimeUnixNano: time,
    severityNumber: 13,
    severityText: 'WARN',
    body: 'event',
    attributes: {},
    eventName: options.eventName,
    service: options.service,
    region: options.region,
    resourceAttributes: {},
    scope: { name: 'test', version: '1' },
  };
}

/** A target that keeps what it was sent, or fails while `down` is set. */
export class RecordingTarget implements NotificationTarget {
  readonly resends = false;
  readonly sent: Array<{ alertId: string; occurrence: number; event: string }> =
    [];
  down = false;

  constructor(readonly name = 'recording') {}

  async send(notifications: AlertNotification[]) {
    if (this.down) {
      throw new Error('connect ECONNREFUSED 127.0.0.1:9');
    }
    for (const { alert, event } of notifications) {
      this.sent.push({
        alertId: alert.id,
        occurrence: alert.occurrence,
        event,
      });
    }
  }
}
