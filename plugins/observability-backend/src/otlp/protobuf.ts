import { Long, Root, Type, util } from 'protobufjs';

/*
 * The OTLP trace, log and metric messages as a protobufjs description, written from the
 * field numbers and types of the OTLP specification (opentelemetry-proto
 * 1.x). Only what the receiver decodes and answers is described; fields the
 * description lacks are skipped on decoding, as protobuf requires.
 */

const keyValue = {
  fields: {
    key: { type: 'string', id: 1 },
    value: { type: 'AnyValue', id: 2 },
  },
};

const anyValue = {
  oneofs: {
    value: {
      oneof: [
        'stringValue',
        'boolValue',
        'intValue',
        'doubleValue',
        'arrayValue',
        'kvlistValue',
        'bytesValue',
      ],
    },
  },
  fields: {
    stringValue: { type: 'string', id: 1 },
    boolValue: { type: 'bool', id: 2 },
    intValue: { type: 'int64', id: 3 },
    doubleValue: { type: 'double', id: 4 },
    arrayValue: { type: 'ArrayValue', id: 5 },
    kvlistValue: { type: 'KeyValueList', id: 6 },
    bytesValue: { type: 'bytes', id: 7 },
  },
};

/**
 * The messages every OTLP signal wraps its items in, alike but for names:
 * the export request of resource entries of scope entries of items, and the
 * response with its partial success.
 */
function exportEnvelope(names: {
  signal: string;
  resources: string;
  scopes: string;
  items: string;
  itemType: string;
  rejected: string;
}) {
  const { signal, resources, scopes, items, itemType, rejected } = names;
  const resourceType = `Resource${signal === 'Trace' ? 'Spans' : signal}`;
  const scopeType = `Scope${signal === 'Trace' ? 'Spans' : signal}`;

  return {
    [`Export${signal}ServiceRequest`]: {
      fields: {
        [resources]: { rule: 'repeated', type: resourceType, id: 1 },
      },
    },
    [`Export${signal}ServiceResponse`]: {
      fields: {
        partialSuccess: { type: `Export${signal}PartialSuccess`, id: 1 },
      },
    },
    [`Export${signal}PartialSuccess`]: {
      fields: {
        [rejected]: { type: 'int64', id: 1 },
        errorMessage: { type: 'string', id: 2 },
      },
    },
    [resourceType]: {
      fields: {
        resource: { type: 'Resource', id: 1 },
        [scopes]: { rule: 'repeated', type: scopeType, id: 2 },
        schemaUrl: { type: 'string', id: 3 },
      },
    },
    [scopeType]: {
      fields: {
        scope: { type: 'InstrumentationScope', id: 1 },
        [items]: { rule: 'repeated', type: itemType, id: 2 },
        schemaUrl: { type: 'string', id: 3 },
      },
    },
  };
}

/** A proto3 `optional` field: present on the wire even when zero. */
const optionalDouble = (id: number) => ({
  type: 'double',
  id,
  options: { proto3_optional: true },
});

/*
 * The metric messages of opentelemetry/proto/metrics/v1/metrics.proto.
 * Exemplars and the metric's metadata are not described, so they are
 * skipped: the engine stores neither.
 */
const metricMessages = {
  Metric: {
    oneofs: {
      data: {
        oneof: ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'],
      },
    },
    fields: {
      name: { type: 'string', id: 1 },
      description: { type: 'string', id: 2 },
      unit: { type: 'string', id: 3 },
      gauge: { type: 'Gauge', id: 5 },
      sum: { type: 'Sum', id: 7 },
      histogram: { type: 'Histogram', id: 9 },
      exponentialHistogram: { type: 'ExponentialHistogram', id: 10 },
      summary: { type: 'Summary', id: 11 },
    },
  },
  Gauge: {
    fields: {
      dataPoints: { rule: 'repeated', type: 'NumberDataPoint', id: 1 },
    },
  },
  Sum: {
    fields: {
      dataPoints: { rule: 'repeated', type: 'NumberDataPoint', id: 1 },
      aggregationTemporality: { type: 'int32', id: 2 },
      isMonotonic: { type: 'bool', id: 3 },
    },
  },
  Histogram: {
    fields: {
      dataPoints: { rule: 'repeated', type: 'HistogramDataPoint', id: 1 },
      aggregationTemporality: { type: 'int32', id: 2 },
    },
  },
  ExponentialHistogram: {
    fields: {
      dataPoints: {
        rule: 'repeated',
        type: 'ExponentialHistogramDataPoint',
        id: 1,
      },
      aggregationTemporality: { type: 'int32', id: 2 },
    },
  },
  Summary: {
    fields: {
      dataPoints: { rule: 'repeated', type: 'SummaryDataPoint', id: 1 },
    },
  },
  NumberDataPoint: {
    oneofs: { value: { oneof: ['asDouble', 'asInt'] } },
    fields: {
      attributes: { rule: 'repeated', type: 'KeyValue', id: 7 },
      startTimeUnixNano: { type: 'fixed64', id: 2 },
      timeUnixNano: { type: 'fixed64', id: 3 },
      asDouble: { type: 'double', id: 4 },
      asInt: { type: 'sfixed64', id: 6 },
      flags: { type: 'uint32', id: 8 },
    },
  },
  HistogramDataPoint: {
    fields: {
      attributes: { rule: 'repeated', type: 'KeyValue', id: 9 },
      startTimeUnixNano: { type: 'fixed64', id: 2 },
      timeUnixNano: { type: 'fixed64', id: 3 },
      count: { type: 'fixed64', id: 4 },
      sum: optionalDouble(5),
      bucketCounts: { rule: 'repeated', type: 'fixed64', id: 6 },
      explicitBounds: { rule: 'repeated', type: 'double', id: 7 },
      flags: { type: 'uint32', id: 10 },
      min: optionalDouble(11),
      max: optionalDouble(12),
    },
  },
  ExponentialHistogramDataPoint: {
    fields: {
      attributes: { rule: 'repeated', type: 'KeyValue', id: 1 },
      startTimeUnixNano: { type: 'fixed64', id: 2 },
      timeUnixNano: { type: 'fixed64', id: 3 },
      count: { type: 'fixed64', id: 4 },
      sum: optionalDouble(5),
      scale: { type: 'sint32', id: 6 },
      zeroCount: { type: 'fixed64', id: 7 },
      positive: { type: 'ExponentialBuckets', id: 8 },
      negative: { type: 'ExponentialBuckets', id: 9 },
      flags: { type: 'uint32', id: 10 },
      min: optionalDouble(12),
      max: optionalDouble(13),
      zeroThreshold: { type: 'double', id: 14 },
    },
  },
  ExponentialBuckets: {
    fields: {
      offset: { type: 'sint32', id: 1 },
      bucketCounts: { rule: 'repeated', type: 'uint64', id: 2 },
    },
  },
  SummaryDataPoint: {
    fields: {
      attributes: { rule: 'repeated', type: 'KeyValue', id: 7 },
      startTimeUnixNano: { type: 'fixed64', id: 2 },
      timeUnixNano: { type: 'fixed64', id: 3 },
      count: { type: 'fixed64', id: 4 },
      sum: { type: 'double', id: 5 },
      quantileValues: { rule: 'repeated', type: 'ValueAtQuantile', id: 6 },
      flags: { type: 'uint32', id: 8 },
    },
  },
  ValueAtQuantile: {
    fields: {
      quantile: { type: 'double', id: 1 },
      value: { type: 'double', id: 2 },
    },
  },
};

const OTLP = {
  nested: {
    AnyValue: anyValue,
    ArrayValue: {
      fields: { values: { rule: 'repeated', type: 'AnyValue', id: 1 } },
    },
    KeyValueList: {
      fields: { values: { rule: 'repeated', type: 'KeyValue', id: 1 } },
    },
    KeyValue: keyValue,
    InstrumentationScope: {
      fields: {
        name: { type: 'string', id: 1 },
        version: { type: 'string', id: 2 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 3 },
        droppedAttributesCount: { type: 'uint32', id: 4 },
      },
    },
    Resource: {
      fields: {
        attributes: { rule: 'repeated', type: 'KeyValue', id: 1 },
        droppedAttributesCount: { type: 'uint32', id: 2 },
      },
    },
    ...exportEnvelope({
      signal: 'Trace',
      resources: 'resourceSpans',
      scopes: 'scopeSpans',
      items: 'spans',
      itemType: 'Span',
      rejected: 'rejectedSpans',
    }),
    ...exportEnvelope({
      signal: 'Logs',
      resources: 'resourceLogs',
      scopes: 'scopeLogs',
      items: 'logRecords',
      itemType: 'LogRecord',
      rejected: 'rejectedLogRecords',
    }),
    ...exportEnvelope({
      signal: 'Metrics',
      resources: 'resourceMetrics',
      scopes: 'scopeMetrics',
      items: 'metrics',
      itemType: 'Metric',
      rejected: 'rejectedDataPoints',
    }),
    ...metricMessages,
    Span: {
      fields: {
        traceId: { type: 'bytes', id: 1 },
        spanId: { type: 'bytes', id: 2 },
        traceState: { type: 'string', id: 3 },
        parentSpanId: { type: 'bytes', id: 4 },
        flags: { type: 'fixed32', id: 16 },
        name: { type: 'string', id: 5 },
        kind: { type: 'int32', id: 6 },
        startTimeUnixNano: { type: 'fixed64', id: 7 },
        endTimeUnixNano: { type: 'fixed64', id: 8 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 9 },
        droppedAttributesCount: { type: 'uint32', id: 10 },
        events: { rule: 'repeated', type: 'SpanEvent', id: 11 },
        droppedEventsCount: { type: 'uint32', id: 12 },
        links: { rule: 'repeated', type: 'SpanLink', id: 13 },
        droppedLinksCount: { type: 'uint32', id: 14 },
        status: { type: 'Status', id: 15 },
      },
    },
    SpanEvent: {
      fields: {
        timeUnixNano: { type: 'fixed64', id: 1 },
        name: { type: 'string', id: 2 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 3 },
        droppedAttributesCount: { type: 'uint32', id: 4 },
      },
    },
    SpanLink: {
      fields: {
        traceId: { type: 'bytes', id: 1 },
        spanId: { type: 'bytes', id: 2 },
        traceState: { type: 'string', id: 3 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 4 },
        droppedAttributesCount: { type: 'uint32', id: 5 },
        flags: { type: 'fixed32', id: 6 },
      },
    },
    Status: {
      fields: {
        message: { type: 'string', id: 2 },
        code: { type: 'int32', id: 3 },
      },
    },
    LogRecord: {
      fields: {
        timeUnixNano: { type: 'fixed64', id: 1 },
        observedTimeUnixNano: { type: 'fixed64', id: 11 },
        severityNumber: { type: 'int32', id: 2 },
        severityText: { type: 'string', id: 3 },
        body: { type: 'AnyValue', id: 5 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 6 },
        droppedAttributesCount: { type: 'uint32', id: 7 },
        flags: { type: 'fixed32', id: 8 },
        traceId: { type: 'bytes', id: 9 },
        spanId: { type: 'bytes', id: 10 },
        eventName: { type: 'string', id: 12 },
      },
    },
  },
};

const root = Root.fromJSON(OTLP);

export const ExportTraceServiceRequest = root.lookupType(
  'ExportTraceServiceRequest',
);
export const ExportTraceServiceResponse = root.lookupType(
  'ExportTraceServiceResponse',
);
export const ExportLogsServiceRequest = root.lookupType(
  'ExportLogsServiceRequest',
);
export const ExportLogsServiceResponse = root.lookupType(
  'ExportLogsServiceResponse',
);
export const ExportMetricsServiceRequest = root.lookupType(
  'ExportMetricsServiceRequest',
);
export const ExportMetricsServiceResponse = root.lookupType(
  'ExportMetricsServiceResponse',
);

/** Fields of type bytes that OTLP/JSON writes as hex rather than base64. */
const HEX_ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

/**
 * Decodes an OTLP export request into the shape OTLP/JSON gives the same
 * request, so that one reader serves both encodings: 64-bit integers as
 * decimal strings, enums as numbers, trace and span ids as hex.
 */
export function decodeExportRequest(type: Type, body: Uint8Array): unknown {
  const message = type.decode(body);
  // Bytes fields stay the decoder's own buffers and 64-bit integers its
  // Long objects, both rewritten below.
  const object = type.toObject(message, { enums: Number });
  toJsonEncoding(object);
  return object;
}

/**
 * A 64-bit integer as a decimal string. Long's own toString divides in
 * 32-bit pieces, several times slower than BigInt; timestamps are three of
 * every span's fields.
 */
function longToDecimal(long: Long) {
  const high = long.high >>> 0;
  const low = long.low >>> 0;
  if (high === 0) {
    return String(low);
  }
  const unsigned = (BigInt(high) << 32n) | BigInt(low);
  return (long.unsigned ? unsigned : BigInt.asIntN(64, unsigned)).toString();
}

/**
 * Rewrites, in place, the fields of a plain decoded message that OTLP/JSON
 * writes differently: bytes as hex for ids and base64 for the rest, 64-bit
 * integers as decimal strings. toObject made the objects fresh, so
 * changing them touches nothing else; rewriting in place spares a copy of
 * every object of a large export.
 */
function toJsonEncoding(value: object) {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item instanceof util.Long) {
        value[i] = longToDecimal(item);
      } else if (item && typeof item === 'object') {
        toJsonEncoding(item);
      }
    }
    return;
  }

  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const field = object[key];
    if (field instanceof Uint8Array) {
      const bytes = Buffer.from(field.buffer, field.byteOffset, field.length);
      object[key] = bytes.toString(HEX_ID_FIELDS.has(key) ? 'hex' : 'base64');
    } else if (field instanceof util.Long) {
      object[key] = longToDecimal(field);
    } else if (field && typeof field === 'object') {
      toJsonEncoding(field);
    }
  }
}
