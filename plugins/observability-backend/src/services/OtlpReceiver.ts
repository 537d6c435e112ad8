import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
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
  }) {
    return new OtlpReceiver(options);
  }

  private constructor(options: {
    store: TelemetryStore;
    metricStore: MetricStore;
    metrics: EngineMetrics;
    logger: LoggerService;
    maxBodyBytes: number;
  }) {
    const { store, metricStore, metrics } = options;
    this.logger = options.logger;
    this.maxBodyBytes = options.maxBodyBytes;

    this.traces = {
      name: 'traces',
      requestType: ExportTraceServiceRequest,
      responseType: ExportTraceServiceResponse,
      rejectedField: 'rejectedSpans',
      accept(document) {
        const { spans, rejectedSpans, rejection } = readTraceRequest(document);
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
        const { logRecords } = readLogsRequest(document, receivedAt);
        return {
          store: async () => {
            const stored = await store.insertLogs(logRecords);
            metrics.recordLogs(stored);
          },
          rejected: 0,
        };
      },
    };

    this.metricPoints = {
      name: 'metrics',
      requestType: ExportMetricsServiceRequest,
      responseType: ExportMetricsServiceResponse,
      rejectedField: 'rejectedDataPoints',
      accept(document) {
        const { points, rejectedDataPoints, rejection } =
          readMetricsRequest(document);
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
