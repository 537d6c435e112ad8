import { forEachExportItem, ItemOrigin, LOGS } from './forEachExportItem';
import {
  asHexId,
  asInt64,
  asInteger,
  asString,
  Attributes,
  AttributeValue,
  OtlpPath,
  readAnyValue,
  readAttributes,
} from './values';

/** One log record as the engine stores it. */
export interface LogRecord extends ItemOrigin {
  /**
   * When the event happened, in decimal nanoseconds; the observed time when
   * the sender did not know it, and the time of receipt when neither is set.
   */
  timeUnixNano: string;
  observedTimeUnixNano: string;
  /** OTLP SeverityNumber: 1-4 trace, 5-8 debug, 9-12 info, ... 21-24 fatal. */
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: Attributes;
  traceId?: string;
  spanId?: string;
  eventName?: string;
}

export interface LogsRequest {
  logRecords: LogRecord[];
}

const MAX_SEVERITY = 24;

/**
 * Reads an ExportLogsServiceRequest in the OTLP/JSON shape. A malformed
 * field throws an InputError naming it. Log records need no ids, so none
 * is rejected on its own.
 */
export function readLogsRequest(
  body: unknown,
  receivedAtNanos: string,
): LogsRequest {
  const logRecords: LogRecord[] = [];

  forEachExportItem(body, LOGS, (record, path, origin) => {
    const severityPath = path.field('severityNumber');
    const severityNumber = asInteger(record.severityNumber, severityPath);
    if (severityNumber < 0 || severityNumber > MAX_SEVERITY) {
      severityPath.fail(`a severity from 0 to ${MAX_SEVERITY}`, severityNumber);
    }

    const time = asInt64(record.timeUnixNano, path.field('timeUnixNano'));
    const observed = asInt64(
      record.observedTimeUnixNano,
      path.field('observedTimeUnixNano'),
    );

    const attributes = readAttributes(
      record.attributes,
      path.field('attributes'),
    );
    logRecords.push({
      ...origin,
      timeUnixNano: [time, observed, receivedAtNanos].find(t => t !== '0')!,
      observedTimeUnixNano: observed,
      severityNumber,
      severityText: asString(record.severityText, path.field('severityText')),
      body: readAnyValue(record.body, path.field('body')),
      attributes,
      traceId: asHexId(record.traceId, 16, path.field('traceId')),
      spanId: asHexId(record.spanId, 8, path.field('spanId')),
      eventName: eventNameOf(record, path, attributes),
    });
  });

  return { logRecords };
}

/**
 * The record's event name: OTLP's eventName field, or the `event.name`
 * attribute that senders used before the field existed.
 */
function eventNameOf(
  record: Record<string, unknown>,
  path: OtlpPath,
  attributes: Attributes,
) {
  const field = asString(record.eventName, path.field('eventName'));
  const attribute = attributes['event.name'];
  if (field) {
    return field;
  }
  return typeof attribute === 'string' && attribute ? attribute : undefined;
}
