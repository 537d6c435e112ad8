import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { TelemetryStore } from '../database/TelemetryStore';
import {
  decodeTraceRequest,
  ExportTraceServiceResponse,
} from '../otlp/protobuf';
import {
  decodeOtlpBody,
  OtlpEncoding,
  parseOtlpJson,
} from '../otlp/readOtlpBody';
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

/**
 * Receives OTLP/HTTP exports: decodes them, stores what is valid, and
 * answers with OTLP's partial success when some items were rejected. A
 * request that fails to decode stores nothing.
 */
export class OtlpReceiver {
  private readonly store: TelemetryStore;
  private readonly logger: LoggerService;
  private readonly maxBodyBytes: number;

  static create(options: {
    store: TelemetryStore;
    logger: LoggerService;
    maxBodyBytes: number;
  }) {
    return new OtlpReceiver(options);
  }

  private constructor(options: {
    store: TelemetryStore;
    logger: LoggerService;
    maxBodyBytes: number;
  }) {
    this.store = options.store;
    this.logger = options.logger;
    this.maxBodyBytes = options.maxBodyBytes;
  }

  async exportTraces(request: ExportRequest): Promise<ExportResponse> {
    const { encoding, bytes } = decodeOtlpBody({
      ...request,
      maxBytes: this.maxBodyBytes,
    });

    const document =
      encoding === 'json' ? parseOtlpJson(bytes) : decodeProtobuf(bytes);
    const traces = readTraceRequest(document);

    await this.store.insertSpans(traces.spans);

    if (traces.rejectedSpans > 0) {
      this.logger.debug('Rejected spans in an export', {
        rejectedSpans: traces.rejectedSpans,
        reason: traces.rejection,
      });
    }

    const partialSuccess =
      traces.rejectedSpans > 0
        ? {
            rejectedSpans: String(traces.rejectedSpans),
            errorMessage: traces.rejection,
          }
        : undefined;
    return encodeTraceResponse(encoding, partialSuccess);
  }
}

function decodeProtobuf(bytes: Buffer) {
  try {
    return decodeTraceRequest(bytes);
  } catch (error) {
    // protobufjs names the offset and wire type it could not read.
    throw new InputError(
      'The body is not a valid OTLP protobuf message',
      error,
    );
  }
}

function encodeTraceResponse(
  encoding: OtlpEncoding,
  partialSuccess?: { rejectedSpans: string; errorMessage?: string },
): ExportResponse {
  const response = partialSuccess ? { partialSuccess } : {};

  if (encoding === 'json') {
    return {
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify(response)),
    };
  }
  const message = ExportTraceServiceResponse.fromObject(response);
  return {
    contentType: 'application/x-protobuf',
    body: Buffer.from(ExportTraceServiceResponse.encode(message).finish()),
  };
}
