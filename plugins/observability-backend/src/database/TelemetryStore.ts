import { SpanRecord } from '../otlp/readTraceRequest';

/** A stored span, with its duration worked out. */
export interface StoredSpan extends SpanRecord {
  durationMs: number;
}

/** One trace in a search result. */
export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  region?: string;
  /** Start of the earliest span, milliseconds since the epoch. */
  startTimeMs: number;
  durationMs: number;
  spanCount: number;
  error: boolean;
}

export interface TraceQuery {
  service?: string;
  /** Window start and end, milliseconds since the epoch. */
  fromMs: number;
  toMs: number;
  limit: number;
}

/** Where the observability engine keeps its telemetry. */
export interface TelemetryStore {
  /**
   * Stores spans in one transaction: either all are durable when this
   * resolves, or none is. Spans already stored are left as they are.
   */
  insertSpans(spans: SpanRecord[]): Promise<void>;

  /** Every span of a trace, in start order; empty if there is none. */
  getTrace(traceId: string): Promise<StoredSpan[]>;

  /** Traces with a span in the window, newest first. */
  searchTraces(query: TraceQuery): Promise<TraceSummary[]>;

  /** Resolves when the database answers. */
  ping(): Promise<void>;
}
