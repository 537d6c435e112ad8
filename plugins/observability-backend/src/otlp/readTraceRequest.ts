import { forEachExportItem, ItemOrigin, TRACES } from './forEachExportItem';
import {
  asArray,
  asHexId,
  asInt64,
  asInteger,
  asObject,
  asString,
  Attributes,
  OtlpPath,
  readAttributes,
} from './values';

/** One span as the engine stores it. */
export interface SpanRecord extends ItemOrigin {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, ... */
  kind: number;
  /** Nanoseconds since the epoch, as a decimal string. */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage?: string;
  attributes: Attributes;
  events: Array<{ timeUnixNano: string; name: string; attributes: Attributes }>;
  links: Array<{ traceId?: string; spanId?: string; attributes: Attributes }>;
}

export interface TraceRequest {
  spans: SpanRecord[];
  rejectedSpans: number;
  /** Why the first rejected span was rejected. */
  rejection?: string;
}

/**
 * Reads an ExportTraceServiceRequest in the OTLP/JSON shape. A malformed
 * field throws an InputError naming it; a span without a trace or span id
 * is rejected on its own and counted, as OTLP's partial success expects.
 */
export function readTraceRequest(body: unknown): TraceRequest {
  const result: TraceRequest = { spans: [], rejectedSpans: 0 };

  forEachExportItem(body, TRACES, (span, path, origin) => {
    const traceId = asHexId(span.traceId, 16, path.field('traceId'));
    const spanId = asHexId(span.spanId, 8, path.field('spanId'));
    if (!traceId || !spanId) {
      result.rejectedSpans += 1;
      result.rejection ??= `${path}: a span needs a traceId and a spanId`;
      return;
    }

    const status = asObject(span.status, path.field('status'));
    result.spans.push({
      ...origin,
      traceId,
      spanId,
      parentSpanId: asHexId(span.parentSpanId, 8, path.field('parentSpanId')),
      name: asString(span.name, path.field('name')),
      kind: asInteger(span.kind, path.field('kind')),
      startTimeUnixNano: asInt64(
        span.startTimeUnixNano,
        path.field('startTimeUnixNano'),
      ),
      endTimeUnixNano: asInt64(
        span.endTimeUnixNano,
        path.field('endTimeUnixNano'),
      ),
      statusCode: asInteger(status.code, path.field('status').field('code')),
      statusMessage:
        asString(status.message, path.field('status').field('message')) ||
        undefined,
      attributes: readAttributes(span.attributes, path.field('attributes')),
      events: readEvents(span.events, path.field('events')),
      links: readLinks(span.links, path.field('links')),
    });
  });

  return result;
}

function readEvents(value: unknown, path: OtlpPath) {
  return asArray(value, path).map((e, i) => {
    const event = asObject(e, path.index(i));
    return {
      timeUnixNano: asInt64(
        event.timeUnixNano,
        path.index(i).field('timeUnixNano'),
      ),
      name: asString(event.name, path.index(i).field('name')),
      attributes: readAttributes(
        event.attributes,
        path.index(i).field('attributes'),
      ),
    };
  });
}

function readLinks(value: unknown, path: OtlpPath) {
  return asArray(value, path).map((l, i) => {
    const link = asObject(l, path.index(i));
    return {
      traceId: asHexId(link.traceId, 16, path.index(i).field('traceId')),
      spanId: asHexId(link.spanId, 8, path.index(i).field('spanId')),
      attributes: readAttributes(
        link.attributes,
        path.index(i).field('attributes'),
      ),
    };
  });
}
