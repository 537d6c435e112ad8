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

/** How urgent an alert is: a page wakes someone, a ticket waits. */
export type AlertSeverity = 'page' | 'ticket' | 'info';

export type AlertState = 'firing' | 'acknowledged' | 'resolved';

/** One occurrence of an alert, as `GET /alerts` gives it. */
export interface Alert {
  /** 32 lower-case hex digits. */
  id: string;
  fingerprint: string;
  occurrence: number;
  ruleId: string;
  severity: AlertSeverity;
  service: string;
  /** Empty when the telemetry named no region. */
  region: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: AlertState;
  /** The series value at the last evaluation that breached. */
  value: number;
  startsAt: string;
  lastEvaluatedAt: string;
  acknowledgedAt?: string;
  /** The user's entity ref, as the engine recorded it. */
  acknowledgedBy?: string;
  acknowledgeComment?: string;
  resolvedAt?: string;
  /** A user entity ref, or `system` when the condition cleared. */
  resolvedBy?: string;
  resolveReason?: string;
  /** Ids of the active silences that match the alert. */
  silencedBy: string[];
}

export interface AlertQuery {
  state?: AlertState;
  severity?: AlertSeverity;
  service?: string;
  region?: string;
  limit?: number;
  offset?: number;
}

export interface AlertPage {
  alerts: Alert[];
  total: number;
  offset: number;
  limit: number;
}

/** Open alerts of one service in one region. */
export interface AlertGroup {
  service: string;
  region: string;
  firing: number;
  acknowledged: number;
  alerts: Alert[];
}

export interface AlertHistoryEntry {
  service: string;
  region: string;
  alerts: number;
  acknowledged: number;
  resolved: number;
  /** Mean time to acknowledge; null when none was acknowledged. */
  mttaSeconds: number | null;
  /** Mean time to resolve; null when none was resolved. */
  mttrSeconds: number | null;
}

export interface AlertHistory {
  from: string;
  to: string;
  services: AlertHistoryEntry[];
}

export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex?: boolean;
}

export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  comment: string;
  createdBy: string;
  createdAt: string;
  startsAt: string;
  endsAt: string;
  state: 'pending' | 'active' | 'expired';
}

export interface NewSilence {
  matchers: SilenceMatcher[];
  comment: string;
  startsAt?: string;
  endsAt?: string;
  /** Such as `2h`; used when endsAt is not given. */
  duration?: string;
}

/** An alert rule, from config (read-only) or added through the API. */
export interface AlertRule {
  id: string;
  series: string;
  window: string;
  operator: '>' | '>=' | '<' | '<=';
  threshold: number;
  for?: string;
  severity: AlertSeverity;
  labels?: Record<string, string>;
  scope?: { service?: string; region?: string; route?: string };
  summary?: string;
  eventName?: string;
}

export interface AlertRuleView {
  rule: AlertRule;
  /** Config rules cannot be changed through the API. */
  source: 'config' | 'api';
  createdBy?: string;
  createdAt?: string;
  updatedBy?: string;
  updatedAt?: string;
}

export type SloObjectiveName = 'availability' | 'latency' | 'error_rate';

export interface SloObjective {
  name: SloObjectiveName;
  /** The share of good requests asked for, 0 to 1. */
  objective: number;
  description: string;
  /** Good requests over the period; null when there were none. */
  sli: number | null;
  status: 'ok' | 'breached' | 'no_data';
  /** The fraction is below 0 once the budget is overspent. */
  errorBudget: { remainingFraction: number; remainingSeconds: number };
  /** Burn rate per window (`5m`, `1h`, ...); null for no requests. */
  burnRates: Record<string, number | null>;
  alerts: Array<{
    tier: string;
    severity: string;
    factor: number;
    longWindow: string;
    shortWindow: string;
    burning: boolean;
  }>;
}

/** The SLOs of one service in one region; id `service@region`. */
export interface Slo {
  id: string;
  service: string;
  region: string;
  targets: {
    availability: number;
    p95Ms: number;
    errorRate: number;
    periodDays: number;
  };
  period: string;
  evaluatedAt: string;
  objectives: SloObjective[];
}

/** The business KPIs over a window; a KPI without data is null. */
export interface BusinessMetrics {
  from: string;
  to: string;
  /** The region asked for; null for all regions. */
  region: string | null;
  activeUsers: {
    total: number | null;
    byRegion: Array<{ region: string; users: number }>;
  };
  quizzes: {
    started: number | null;
    completed: number | null;
    completionRate: number | null;
  };
  safetyChecks: {
    total: number | null;
    compliant: number | null;
    complianceRate: number | null;
  };
  invoices: { generated: number | null; processed: number | null };
  customerSatisfaction: { responses: number | null; average: number | null };
}

export interface SecurityDashboard {
  from: string;
  to: string;
  authentication: {
    attempts: number;
    succeeded: number;
    failed: number;
    successRate: number | null;
  };
  threats: { total: number; byType: Array<{ type: string; count: number }> };
  blockedIps: Array<Record<string, unknown>>;
  policyViolations: {
    total: number;
    byPolicy: Array<{ policyId: string; count: number }>;
  };
  decisions: Array<{ decision: string; count: number }>;
  riskScores: Array<{ range: string; count: number }>;
}
