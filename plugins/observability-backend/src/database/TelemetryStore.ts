import { LogRecord } from '../otlp/readLogsRequest';
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

export interface LogQuery {
  service?: string;
  /** Only records at least this severe (an OTLP SeverityNumber). */
  minSeverity?: number;
  /** Plain text the body must contain, case-insensitively. */
  text?: string;
  traceId?: string;
  fromMs: number;
  toMs: number;
  limit: number;
  /** Continue after this record of an earlier page. */
  after?: LogCursor;
}

/** Where a page of logs ended: newest first, so the next page is older. */
export interface LogCursor {
  timeUs: number;
  id: number;
}

export interface LogPage {
  logs: LogRecord[];
  /** Set when more records match. */
  next?: LogCursor;
}

/** Requests of one service in one region, from its server spans. */
export interface RequestStats {
  service: string;
  /** Empty when the spans named no region. */
  region: string;
  requests: number;
  errors: number;
  /** Nearest-rank percentiles of the request durations. */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** Server spans of one service, region and route with one HTTP status. */
export interface StatusCount {
  service: string;
  /** Empty when the spans named no region. */
  region: string;
  /** The span name, such as `GET /api/quizzes`. */
  route: string;
  requests: number;
}

/** Requests from one service and region to another, from span parents. */
export interface CallStats {
  caller: { service: string; region: string };
  callee: { service: string; region: string };
  requests: number;
  errors: number;
  p95Ms: number;
  /** Requests on which the callee saw mutual TLS. */
  mtlsRequests: number;
}

export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

/** Where the observability engine keeps its telemetry. */
export interface TelemetryStore {
  /**
   * Stores spans in one transaction: either all are stored when this
   * resolves, or none is. Spans already stored (same trace and span id)
   * are left as they are; the answer is the spans that were new.
   */
  insertSpans(spans: SpanRecord[]): Promise<SpanRecord[]>;

  /** Every span of a trace, in start order; empty if there is none. */
  getTrace(traceId: string): Promise<StoredSpan[]>;

  /** Traces with a span in the window, newest first. */
  searchTraces(query: TraceQuery): Promise<TraceSummary[]>;

  /**
   * Stores log records in one transaction. A record whose content is
   * already stored (a retried export) is left out; the answer is the
   * records that were new.
   */
  insertLogs(records: LogRecord[]): Promise<LogRecord[]>;

  /** Log records in the window, newest first, a page at a time. */
  searchLogs(query: LogQuery): Promise<LogPage>;

  /** Request counts and durations per service and region. */
  requestStats(window: TimeWindow): Promise<RequestStats[]>;

  /**
   * Server spans per service, region and route (the span name) that
   * answered the HTTP status (`http.response.status_code`), such as 429.
   */
  statusCounts(window: TimeWindow, statusCode: number): Promise<StatusCount[]>;

  /**
   * Calls between services: a server span whose parent span belongs to
   * another service or region.
   */
  callStats(window: TimeWindow): Promise<CallStats[]>;

  /**
   * Deletes spans and log records that started before the cutoff, in
   * batches, and says how many of each went.
   */
  deleteOlderThan(
    cutoffMs: number,
  ): Promise<{ spans: number; logs: number; spanRollups: number }>;

  /** Resolves when the database answers. */
  ping(): Promise<void>;
}
