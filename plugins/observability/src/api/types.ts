/*
 * The shapes the observability engine answers with (see
 * plugins/observability-backend: router.ts and its services). They are
 * written out here rather than imported because a frontend package must not
 * depend on a backend one.
 */

/** An OTLP attribute value as the engine stores it. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

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

/** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
export type SpanKind = number;

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  /** Nanoseconds since the epoch, as a decimal string. */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationMs: number;
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage?: string;
  service: string;
  region?: string;
  attributes: Attributes;
  resourceAttributes: Attributes;
  scope: { name: string; version: string };
  events: Array<{ timeUnixNano: string; name: string; attributes: Attributes }>;
  links: Array<{ traceId?: string; spanId?: string; attributes: Attributes }>;
}

export interface Trace {
  traceId: string;
  spans: Span[];
}

export const SEVERITIES = [
  'TRACE',
  'DEBUG',
  'INFO',
  'WARN',
  'ERROR',
  'FATAL',
] as const;

export type Severity = (typeof SEVERITIES)[number];

export interface LogRecord {
  /** Decimal nanoseconds since the epoch. */
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
  service: string;
  region?: string;
  resourceAttributes: Attributes;
}

export interface LogPage {
  logs: LogRecord[];
  /** Set when more records match: pass it back as `cursor`. */
  nextCursor?: string;
}

export type Health = 'healthy' | 'degraded' | 'failing';

/** RED numbers of one service in one region over a window. */
export interface ServicePerformance {
  service: string;
  /** Empty when the spans named no region. */
  region: string;
  /** Requests per second. */
  requestRate: number;
  /** Failed requests as a fraction of all, 0 to 1. */
  errorRate: number;
  availability: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  sla: { availability: boolean; p95: boolean; errorRate: boolean };
  health: Health;
}

export interface Sla {
  availability: number;
  p95Ms: number;
  errorRate: number;
}

export interface PerformanceOverview {
  from: string;
  to: string;
  sla: Sla;
  services: ServicePerformance[];
}

/** A node of the service graph: one service in one region. */
export interface ServiceGraphNode extends ServicePerformance {
  /** `service@region`. */
  id: string;
}

export interface ServiceGraphEdge {
  /** Node ids. */
  source: string;
  target: string;
  requestRate: number;
  errorRate: number;
  p95Ms: number;
  /** Every request on the edge used mutual TLS. */
  mtls: boolean;
}

export interface ServiceGraph {
  from: string;
  to: string;
  nodes: ServiceGraphNode[];
  edges: ServiceGraphEdge[];
}

export interface EngineHealth {
  status: 'ok' | 'down';
  database: 'ok' | 'unreachable';
}

/** A time window; both ends are ISO 8601 timestamps. */
export interface TimeWindow {
  from?: string;
  to?: string;
}

export interface TraceQuery extends TimeWindow {
  service?: string;
  /** 1 to 1000; the engine's default is 100. */
  limit?: number;
}

export interface LogQuery extends TimeWindow {
  service?: string;
  /** At least this severe. */
  severity?: Severity;
  /** Text the message must contain, case-insensitively. */
  text?: string;
  traceId?: string;
  limit?: number;
  cursor?: string;
}
