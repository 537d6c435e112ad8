import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { PayloadTooLargeError } from '@internal/portal-node';
import { Type } from 'protobufjs';
import { MetricStore } from '../database/MetricStore';
import { TelemetryStore } from '../database/TelemetryStore';
import { EngineMetrics } from './EngineMetrics';
import {
  decodeExportRequest,
  ExportLogsServiceRequest,
  ExportLogsServiceResponse,
  ExportMetricsServiceRequest,
  ExportMetricsServiceResponse,
  ExportTraceServiceRequest,
  ExportTraceServiceResponse,
} from '../otlp/protobuf';
import { decodeOtlpBody, parseOtlpJson } from '../otlp/readOtlpBody';
import { Attributes, AttributeValue } from '../otlp/values';
import { readLogsRequest } from '../otlp/readLogsRequest';
import { readMetricsRequest } from '../otlp/readMetricsRequest';
import { readTraceRequest } from '../otlp/readTraceRequest';

export interface ExportRequest {
  contentType?: string;
  contentEncoding?: string;
  body: Buffer;
}

/** The answer to an export, in the encoding of the request. */
export interface ExportResponse {
  contentType: string;
  body: Buffer;
}

/** What the receiver kept of one export. */
interface Accepted {
  store(): Promise<void>;
  rejected: number;
  rejection?: string;
}

/** How one OTLP signal is decoded, stored and answered. */
interface Signal {
  name: string;
  requestType: Type;
  responseType: Type;
  /** The partial-success field that counts this signal's rejected items. */
  rejectedField: string;
  accept(document: unknown): Accepted;
}

/**
 * Receives OTLP/HTTP exports: decodes them, stores what is valid, and
 * answers with OTLP's partial success when some items were rejected. A
 * request that fails to decode stores nothing.
 */
export class OtlpReceiver {
  private readonly logger: LoggerService;
  private readonly maxBodyBytes: number;
  private readonly traces: Signal;
  private readonly logs: Signal;
  private readonly metricPoints: Signal;

  static create(options: {
    store: TelemetryStore;
    metricStore: MetricStore;
    metrics: EngineMetrics;
    logger: LoggerService;
    maxBodyBytes: number;
    limits?: Partial<ItemLimits>;
  }) {
    return new OtlpReceiver(options);
  }

  private constructor(options: {
    store: TelemetryStore;
    metricStore: MetricStore;
    metrics: EngineMetrics;
    logger: LoggerService;
    maxBodyBytes: number;
    limits?: Partial<ItemLimits>;
  }) {
    const { store, metricStore, metrics } = options;
    this.logger = options.logger;
    this.maxBodyBytes = options.maxBodyBytes;
    const limits: ItemLimits = {
      maxItemsPerExport: Infinity,
      maxAttributesPerItem: Infinity,
      maxAttributeValueLength: Infinity,
      ...options.limits,
    };

    this.traces = {
      name: 'traces',
      requestType: ExportTraceServiceRequest,
      responseType: ExportTraceServiceResponse,
      rejectedField: 'rejectedSpans',
      accept(document) {
        const read = readTraceRequest(document);
        const { kept: spans, ...over } = withinLimits(
          'span',
          read.spans,
          limits,
        );
        const rejectedSpans = read.rejectedSpans + over.rejected;
        const rejection = over.rejection ?? read.rejection;
        return {
          store: async () => {
            // Only new spans count: a retried export is stored once and
            // must not count its requests twice.
            const stored = await store.insertSpans(spans);
            metrics.recordSpans(stored, rejectedSpans);
          },
          rejected: rejectedSpans,
          rejection,
        };
      },
    };

    this.logs = {
      name: 'logs',
      requestType: ExportLogsServiceRequest,
      responseType: ExportLogsServiceResponse,
      rejectedField: 'rejectedLogRecords',
      accept(document) {
        const receivedAt = (BigInt(Date.now()) * 1_000_000n).toString();
        const read = readLogsRequest(document, receivedAt);
        const {
          kept: logRecords,
          rejected,
          rejection,
        } = withinLimits('log record', read.logRecords, limits);
        return {
          store: async () => {
            const stored = await store.insertLogs(logRecords);
            metrics.recordLogs(stored);
          },
          rejected,
          rejection,
        };
      },
    };

    this.metricPoints = {
      name: 'metrics',
      requestType: ExportMetricsServiceRequest,
      responseType: ExportMetricsServiceResponse,
      rejectedField: 'rejectedDataPoints',
      accept(document) {
        const read = readMetricsRequest(document);
        const { kept: points, ...over } = withinLimits(
          'data point',
          read.points,
          limits,
        );
        const rejectedDataPoints = read.rejectedDataPoints + over.rejected;
        const rejection = over.rejection ?? read.rejection;
        return {
          store: async () => {
            await metricStore.insertPoints(points);
            metrics.recordMetricPoints(points.length, rejectedDataPoints);
          },
          rejected: rejectedDataPoints,
          rejection,
        };
      },
    };
  }

  exportTraces(request: ExportRequest): Promise<ExportResponse> {
    return this.export(this.traces, request);
  }

  exportLogs(request: ExportRequest): Promise<ExportResponse> {
    return this.export(this.logs, request);
  }

  exportMetrics(request: ExportRequest): Promise<ExportResponse> {
    return this.export(this.metricPoints, request);
  }

  private async export(
    signal: Signal,
    request: ExportRequest,
  ): Promise<ExportResponse> {
    const { encoding, bytes } = decodeOtlpBody({
      ...request,
      maxBytes: this.maxBodyBytes,
    });

    const document =
      encoding === 'json'
        ? parseOtlpJson(bytes)
        : decodeProtobuf(signal.requestType, bytes);
    const accepted = signal.accept(document);

    await accepted.store();

    let response = {};
    if (accepted.rejected > 0) {
      this.logger.debug('Rejected items of an export', {
        signal: signal.name,
        rejected: accepted.rejected,
        reason: accepted.rejection,
      });
      response = {
        partialSuccess: {
          [signal.rejectedField]: String(accepted.rejected),
          errorMessage: accepted.rejection,
        },
      };
    }

    if (encoding === 'json') {
      return {
        contentType: 'application/json',
        body: Buffer.from(JSON.stringify(response)),
      };
    }
    const message = signal.responseType.fromObject(response);
    return {
      contentType: 'application/x-protobuf',
      body: Buffer.from(signal.responseType.encode(message).finish()),
    };
  }
}

/** Bounds on what one export and each of its items may carry. */
export interface ItemLimits {
  maxItemsPerExport: number;
  maxAttributesPerItem: number;
  maxAttributeValueLength: number;
}

/** A value's length as stored: text as is, anything else as JSON. */
function valueLength(value: AttributeValue) {
  return typeof value === 'string'
    ? value.length
    : JSON.stringify(value)?.length ?? 0;
}

/**
 * Why an item is over the attribute limits, or undefined. Its resource's
 * attributes count too: they are stored with every item.
 */
function overLimits(
  item: { attributes: Attributes; resourceAttributes: Attributes },
  limits: ItemLimits,
): string | undefined {
  for (const attributes of [item.attributes, item.resourceAttributes]) {
    const keys = Object.keys(attributes);
    if (keys.length > limits.maxAttributesPerItem) {
      return (
        `${keys.length} attributes, over ` +
        `observability.ingest.maxAttributesPerItem (${limits.maxAttributesPerItem})`
      );
    }
    const long = keys.find(
      key =>
        key.length > limits.maxAttributeValueLength ||
        valueLength(attributes[key]) > limits.maxAttributeValueLength,
    );
    if (long !== undefined) {
      return (
        `attribute '${long.slice(0, 64)}' is longer than ` +
        `observability.ingest.maxAttributeValueLength (${limits.maxAttributeValueLength})`
      );
    }
  }
  return undefined;
}

/**
 * Refuses an export of too many items whole (413, nothing stored), and
 * leaves out the items over the attribute limits, which OTLP's partial
 * success then counts.
 */
function withinLimits<
  T extends { attributes: Attributes; resourceAttributes: Attributes },
>(kind: string, items: T[], limits: ItemLimits) {
  if (items.length > limits.maxItemsPerExport) {
    throw new PayloadTooLargeError(
      `The export has ${items.length} items, over ` +
        `observability.ingest.maxItemsPerExport (${limits.maxItemsPerExport})`,
    );
  }

  const kept: T[] = [];
  let rejection: string | undefined;
  for (const item of items) {
    const reason = overLimits(item, limits);
    if (reason) {
      rejection ??= `A ${kind} has ${reason}`;
    } else {
      kept.push(item);
    }
  }
  return { kept, rejected: items.length - kept.length, rejection };
}

function decodeProtobuf(type: Type, bytes: Buffer) {
  try {
    return decodeExportRequest(type, bytes);
  } catch (error) {
    // protobufjs names the offset and wire type it could not read.
    throw new InputError(
      'The body is not a valid OTLP protobuf message',
      error,
    );
  }
}
