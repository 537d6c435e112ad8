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
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, ... */
  kind: number;
  service: string;
  region?: string;
  /** Nanoseconds since the epoch, as a decimal string. */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage?: string;
  attributes: Attributes;
  resourceAttributes: Attributes;
  scope: { name: string; version: string };
  events: Array<{ timeUnixNano: string; name: string; attributes: Attributes }>;
  links: Array<{ traceId?: string; spanId?: string; attributes: Attributes }>;
}

export interface TraceRequest {
  spans: SpanRecord[];
  rejectedSpans: number;
  /** Why the first rejected span was rejected. */
  rejection?: string;
}

/** The service a resource describes; OTLP's own default when it has none. */
const UNKNOWN_SERVICE = 'unknown_service';

/**
 * Reads an ExportTraceServiceRequest in the OTLP/JSON shape. A malformed
 * field throws an InputError naming it; a span without a trace or span id
 * is rejected on its own and counted, as OTLP's partial success expects.
 */
export function readTraceRequest(body: unknown): TraceRequest {
  const root = new OtlpPath();
  const request = asObject(body, root);
  const result: TraceRequest = { spans: [], rejectedSpans: 0 };

  const resourceSpansPath = root.field('resourceSpans');
  asArray(request.resourceSpans, resourceSpansPath).forEach((rs, i) => {
    const rsPath = resourceSpansPath.index(i);
    const resourceSpans = asObject(rs, rsPath);
    const resource = asObject(resourceSpans.resource, rsPath.field('resource'));
    const resourceAttributes = readAttributes(
      resource.attributes,
      rsPath.field('resource').field('attributes'),
    );
    const service = resourceAttributes['service.name'];
    const region = resourceAttributes['cloud.region'];

    const scopeSpansPath = rsPath.field('scopeSpans');
    asArray(resourceSpans.scopeSpans, scopeSpansPath).forEach((ss, j) => {
      const ssPath = scopeSpansPath.index(j);
      const scopeSpans = asObject(ss, ssPath);
      const scope = asObject(scopeSpans.scope, ssPath.field('scope'));
      const scopeInfo = {
        name: asString(scope.name, ssPath.field('scope').field('name')),
        version: asString(
          scope.version,
          ssPath.field('scope').field('version'),
        ),
      };

      const spansPath = ssPath.field('spans');
      asArray(scopeSpans.spans, spansPath).forEach((s, k) => {
        const spanPath = spansPath.index(k);
        const span = asObject(s, spanPath);

        const traceId = asHexId(span.traceId, 16, spanPath.field('traceId'));
        const spanId = asHexId(span.spanId, 8, spanPath.field('spanId'));
        if (!traceId || !spanId) {
          result.rejectedSpans += 1;
          result.rejection ??= `${spanPath}: a span needs a traceId and a spanId`;
          return;
        }

        const status = asObject(span.status, spanPath.field('status'));
        result.spans.push({
          traceId,
          spanId,
          parentSpanId: asHexId(
            span.parentSpanId,
            8,
            spanPath.field('parentSpanId'),
          ),
          name: asString(span.name, spanPath.field('name')),
          kind: asInteger(span.kind, spanPath.field('kind')),
          service: typeof service === 'string' ? service : UNKNOWN_SERVICE,
          region: typeof region === 'string' ? region : undefined,
          startTimeUnixNano: asInt64(
            span.startTimeUnixNano,
            spanPath.field('startTimeUnixNano'),
          ),
          endTimeUnixNano: asInt64(
            span.endTimeUnixNano,
            spanPath.field('endTimeUnixNano'),
          ),
          statusCode: asInteger(status.code, spanPath.field('status.code')),
          statusMessage:
            asString(status.message, spanPath.field('status.message')) ||
            undefined,
          attributes: readAttributes(
            span.attributes,
            spanPath.field('attributes'),
          ),
          resourceAttributes,
          scope: scopeInfo,
          events: readEvents(span.events, spanPath.field('events')),
          links: readLinks(span.links, spanPath.field('links')),
        });
      });
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
