import { ObservabilityApi } from '../api/ObservabilityApi';
import { ResponseError } from '@backstage/errors';
import {
  Alert,
  BusinessMetrics,
  LogRecord,
  ServiceGraph,
  Slo,
  Span,
  TraceSummary,
} from '../api/types';

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** Milliseconds to the engine's decimal nanoseconds. */
export function nanos(ms: number) {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

export function span(
  spanId: string,
  options: Partial<Span> & { startMs: number; endMs: number },
): Span {
  const { startMs, endMs, ...rest } = options;
  return {
    traceId: TRACE_ID,
    spanId,
    name: `op-${spanId}`,
    kind: 2,
    startTimeUnixNano: nanos(startMs),
    endTimeUnixNano: nanos(endMs),
    durationMs: endMs - startMs,
    statusCode: 0,
    service: 'api-gateway',
    region: 'eu-west-1',
    attributes: {},
    resourceAttributes: {},
    scope: { name: 'test', version: '1' },
    events: [],
    links: [],
    ...rest,
  };
}

export const T0 = Date.parse('2026-12-03T10:00:00Z');

export const TRACES: TraceSummary[] = [
  {
    traceId: TRACE_ID,
    rootService: 'api-gateway',
    rootName: 'GET /quizzes',
    region: 'eu-west-1',
    startTimeMs: T0,
    durationMs: 120,
    spanCount: 3,
    error: false,
  },
  {
    traceId: 'a'.repeat(32),
    rootService: 'api-gateway',
    rootName: 'POST /invoices',
    region: 'us-east-1',
    startTimeMs: T0 + 1000,
    durationMs: 900,
    spanCount: 5,
    error: true,
  },
];

export const SPANS: Span[] = [
  span('0000000000000001', {
    startMs: T0,
    endMs: T0 + 120,
    name: 'GET /quizzes',
  }),
  span('0000000000000002', {
    parentSpanId: '0000000000000001',
    startMs: T0 + 10,
    endMs: T0 + 60,
    name: 'quiz lookup',
    service: 'quiz-service',
    attributes: { 'http.route': '/quizzes', 'db.statement': '<b>select</b>' },
  }),
  span('0000000000000003', {
    parentSpanId: '0000000000000002',
    startMs: T0 + 20,
    endMs: T0 + 40,
    name: 'SELECT quizzes',
    service: 'quiz-service',
    kind: 3,
    statusCode: 2,
  }),
];

export function log(body: string, extra: Partial<LogRecord> = {}): LogRecord {
  return {
    timeUnixNano: nanos(T0),
    observedTimeUnixNano: nanos(T0),
    severityNumber: 9,
    severityText: 'INFO',
    body,
    attributes: {},
    service: 'api-gateway',
    region: 'eu-west-1',
    resourceAttributes: {},
    ...extra,
  };
}

export const GRAPH: ServiceGraph = {
  from: new Date(T0 - 15 * 60_000).toISOString(),
  to: new Date(T0).toISOString(),
  nodes: [
    {
      id: 'api-gateway@eu-west-1',
      service: 'api-gateway',
      region: 'eu-west-1',
      requestRate: 5,
      errorRate: 0,
      availability: 1,
      p50Ms: 20,
      p95Ms: 80,
      p99Ms: 150,
      sla: { availability: true, p95: true, errorRate: true },
      health: 'healthy',
    },
    {
      id: 'quiz-service@eu-west-1',
      service: 'quiz-service',
      region: 'eu-west-1',
      requestRate: 3,
      errorRate: 0.2,
      availability: 0.8,
      p50Ms: 30,
      p95Ms: 2500,
      p99Ms: 3000,
      sla: { availability: false, p95: false, errorRate: false },
      health: 'failing',
    },
    {
      id: 'api-gateway@us-east-1',
      service: 'api-gateway',
      region: 'us-east-1',
      requestRate: 2,
      errorRate: 0.02,
      availability: 0.98,
      p50Ms: 25,
      p95Ms: 90,
      p99Ms: 200,
      sla: { availability: false, p95: true, errorRate: false },
      health: 'degraded',
    },
  ],
  edges: [
    {
      source: 'api-gateway@eu-west-1',
      target: 'quiz-service@eu-west-1',
      requestRate: 3,
      errorRate: 0.2,
      p95Ms: 2500,
      mtls: true,
    },
  ],
};

/** An ObservabilityApi whose methods are jest mocks, rejecting by default. */
export function mockObservabilityApi(
  overrides: Partial<ObservabilityApi> = {},
): jest.Mocked<ObservabilityApi> {
  const unexpected = (name: string) =>
    jest.fn(() => Promise.reject(new Error(`unexpected call to ${name}`)));
  return {
    searchTraces: unexpected('searchTraces'),
    getTrace: unexpected('getTrace'),
    searchLogs: unexpected('searchLogs'),
    getPerformanceOverview: unexpected('getPerformanceOverview'),
    getServiceGraph: unexpected('getServiceGraph'),
    getHealth: unexpected('getHealth'),
    listAlerts: unexpected('listAlerts'),
    getAlert: unexpected('getAlert'),
    getAlertGroups: unexpected('getAlertGroups'),
    getAlertHistory: unexpected('getAlertHistory'),
    acknowledgeAlert: unexpected('acknowledgeAlert'),
    resolveAlert: unexpected('resolveAlert'),
    listSilences: unexpected('listSilences'),
    createSilence: unexpected('createSilence'),
    expireSilence: unexpected('expireSilence'),
    listAlertRules: unexpected('listAlertRules'),
    createAlertRule: unexpected('createAlertRule'),
    deleteAlertRule: unexpected('deleteAlertRule'),
    listSlos: unexpected('listSlos'),
    getSlo: unexpected('getSlo'),
    getBusinessMetrics: unexpected('getBusinessMetrics'),
    getSecurityDashboard: unexpected('getSecurityDashboard'),
    ...overrides,
  } as jest.Mocked<ObservabilityApi>;
}

/** The engine's error body for a request it could not answer. */
export async function engineDown() {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: {
          name: 'Error',
          message: 'connect ECONNREFUSED 127.0.0.1:5432',
        },
        response: { statusCode: 503 },
      }),
      { status: 503, headers: { 'content-type': 'application/json' } },
    ) as any,
  );
}

export function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: '0123456789abcdef0123456789abcdef',
    fingerprint: 'f'.repeat(64),
    occurrence: 1,
    ruleId: 'slo-availability-fast',
    severity: 'page',
    service: 'quiz-service',
    region: 'eu-west-1',
    labels: {
      alertname: 'slo-availability-fast',
      service: 'quiz-service',
      region: 'eu-west-1',
    },
    annotations: { summary: 'quiz-service burns its availability budget' },
    state: 'firing',
    value: 20.5,
    startsAt: '2026-12-03T10:00:00.000Z',
    lastEvaluatedAt: '2026-12-03T10:05:00.000Z',
    silencedBy: [],
    ...overrides,
  };
}

function statusOf(burnRate: number | null): 'ok' | 'breached' | 'no_data' {
  if (burnRate === null) {
    return 'no_data';
  }
  return burnRate > 1 ? 'breached' : 'ok';
}

export function slo(
  service: string,
  region: string,
  burnRate: number | null = 2,
): Slo {
  const objective = (
    name: 'availability' | 'latency' | 'error_rate',
    target: number,
  ) => ({
    name,
    objective: target,
    description: `${name} objective`,
    sli: burnRate === null ? null : 1 - (1 - target) * burnRate,
    status: statusOf(burnRate),
    errorBudget: {
      remainingFraction: burnRate === null ? 1 : 1 - burnRate,
      remainingSeconds: burnRate === null ? 2592 : 2592 * (1 - burnRate),
    },
    burnRates: { '5m': burnRate, '1h': burnRate, '6h': null },
    alerts: [],
  });
  return {
    id: `${service}@${region}`,
    service,
    region,
    targets: {
      availability: 0.999,
      p95Ms: 2000,
      errorRate: 0.01,
      periodDays: 30,
    },
    period: '30d',
    evaluatedAt: '2026-12-03T10:05:00.000Z',
    objectives: [
      objective('availability', 0.999),
      objective('latency', 0.95),
      objective('error_rate', 0.99),
    ],
  };
}

export function businessMetrics(
  region: string | null,
  activeUsers: number | null = 120,
): BusinessMetrics {
  return {
    from: '2026-12-03T10:00:00.000Z',
    to: '2026-12-03T10:05:00.000Z',
    region,
    activeUsers: {
      total: activeUsers,
      byRegion:
        region === null && activeUsers !== null
          ? [
              { region: 'eu-west-1', users: activeUsers / 2 },
              { region: 'us-east-1', users: activeUsers / 2 },
            ]
          : [],
    },
    quizzes: { started: 10, completed: 8, completionRate: 0.8 },
    safetyChecks: { total: 50, compliant: 49, complianceRate: 0.98 },
    invoices: { generated: 30, processed: 27 },
    customerSatisfaction: { responses: 12, average: 4.25 },
  };
}
