import { CustomErrorBase } from '@backstage/errors';

/** The engine has as much ingest in hand as it may take; retry later. */
export class IngestOverloadedError extends CustomErrorBase {
  name = 'IngestOverloadedError' as const;

  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/**
 * Bounds the OTLP exports the engine works on at once, by count and by
 * bytes, so that a burst is refused at the door instead of filling memory
 * and the database pool. An export is admitted whole or not at all.
 */
export class IngestLimiter {
  private readonly maxRequests: number;
  private readonly maxBytes: number;
  private readonly retryAfterSeconds: number;
  private requests = 0;
  private bytes = 0;

  static create(options: {
    maxConcurrentRequests: number;
    maxInFlightBytes: number;
    retryAfterSeconds: number;
  }) {
    return new IngestLimiter(options);
  }

  private constructor(options: {
    maxConcurrentRequests: number;
    maxInFlightBytes: number;
    retryAfterSeconds: number;
  }) {
    this.maxRequests = options.maxConcurrentRequests;
    this.maxBytes = options.maxInFlightBytes;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** Exports and bytes in hand now. */
  get inFlight() {
    return { requests: this.requests, bytes: this.bytes };
  }

  /**
   * Admits an export of up to `bytes` bytes, or throws when admitting it
   * would pass a limit. Call the returned function once the export is done.
   */
  admit(bytes: number): () => void {
    if (this.requests >= this.maxRequests) {
      throw new IngestOverloadedError(
        `The engine is working on ${this.requests} exports, its limit; ` +
          `retry in ${this.retryAfterSeconds} s`,
        this.retryAfterSeconds,
      );
    }
    if (this.bytes + bytes > this.maxBytes) {
      throw new IngestOverloadedError(
        `An export of ${bytes} bytes would put the engine over its ` +
          `${this.maxBytes} bytes in flight; retry in ${this.retryAfterSeconds} s`,
        this.retryAfterSeconds,
      );
    }

    this.requests += 1;
    this.bytes += bytes;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.requests -= 1;
        this.bytes -= bytes;
      }
    };
  }
}
