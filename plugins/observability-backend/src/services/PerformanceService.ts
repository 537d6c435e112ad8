import {
  RequestStats,
  StatusCount,
  TelemetryStore,
} from '../database/TelemetryStore';
import { resolveWindow, WindowQuery } from './window';

/** What a rate limit (nginx `limit_req_status`, Istio) answers. */
const TOO_MANY_REQUESTS = 429;

/** The platform's SLA for every service in every region. */
export const SLA = {
  availability: 0.999,
  p95Ms: 2000,
  errorRate: 0.01,
} as const;

/** A node is failing, not just degraded, from this error rate on. */
const FAILING_ERROR_RATE = 0.1;

/**
 * What the overview and the service graph cover without a window: the
 * last 15 minutes, not the hour of the other queries, since they tell how
 * the services are doing now. regions-backend asks without a window and
 * shows region health and what-if traffic as of the last 15 minutes; the
 * Mesh page and a service's Observability tab send 15 minutes themselves.
 */
const PERFORMANCE_WINDOW_MS = 15 * 60 * 1000;

export type Health = 'healthy' | 'degraded' | 'failing';

export interface ServicePerformance {
  service: string;
  region: string;
  /** Requests per second over the window. */
  requestRate: number;
  /** Failed requests as a fraction of all, 0 to 1. */
  errorRate: number;
  availability: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  sla: { availability: boolean; p95: boolean; errorRate: boolean };
  health: Health;
  /** Requests answered 429 Too Many Requests, in all and per route. */
  rateLimited: {
    requests: number;
    /** Per second over the window. */
    rate: number;
    byRoute: Array<{ route: string; requests: number; rate: number }>;
  };
}

export interface ServiceGraphEdge {
  source: string;
  target: string;
  requestRate: number;
  errorRate: number;
  p95Ms: number;
  /** Every request on the edge used mutual TLS. */
  mtls: boolean;
}

/** A node's id: `service@region`, the region empty when unknown. */
function nodeId(service: string, region: string) {
  return `${service}@${region}`;
}

/**
 * RED metrics per service and region, judged against the SLA, and the
 * service graph, both from stored spans. Groups without requests in the
 * window are left out: no data is not 0% availability.
 */
export class PerformanceService {
  private readonly store: TelemetryStore;

  static create(options: { store: TelemetryStore }) {
    return new PerformanceService(options.store);
  }

  private constructor(store: TelemetryStore) {
    this.store = store;
  }

  async overview(query: WindowQuery) {
    const window = resolveWindow(query, PERFORMANCE_WINDOW_MS);
    const [stats, limited] = await Promise.all([
      this.store.requestStats(window),
      this.store.statusCounts(window, TOO_MANY_REQUESTS),
    ]);
    const windowMs = window.toMs - window.fromMs;

    return {
      from: new Date(window.fromMs).toISOString(),
      to: new Date(window.toMs).toISOString(),
      sla: SLA,
      services: stats.map(s => ({
        ...judge(s, windowMs),
        rateLimited: rateLimitedOf(s, limited, windowMs),
      })),
    };
  }

  async serviceGraph(query: WindowQuery) {
    const window = resolveWindow(query, PERFORMANCE_WINDOW_MS);
    const seconds = (window.toMs - window.fromMs) / 1000;
    const [stats, calls] = await Promise.all([
      this.store.requestStats(window),
      this.store.callStats(window),
    ]);

    const nodes = new Map(
      stats.map(s => {
        const performance = judge(s, window.toMs - window.fromMs);
        return [
          nodeId(s.service, s.region),
          { id: nodeId(s.service, s.region), ...performance },
        ];
      }),
    );

    const edges: ServiceGraphEdge[] = calls.map(call => ({
      source: nodeId(call.caller.service, call.caller.region),
      target: nodeId(call.callee.service, call.callee.region),
      requestRate: call.requests / seconds,
      errorRate: call.errors / call.requests,
      p95Ms: call.p95Ms,
      mtls: call.mtlsRequests === call.requests,
    }));

    // A caller that served no request itself in the window (a job, the
    // traffic's entry point) is still a node of the graph.
    for (const call of calls) {
      const id = nodeId(call.caller.service, call.caller.region);
      if (!nodes.has(id)) {
        nodes.set(id, {
          id,
          service: call.caller.service,
          region: call.caller.region,
          requestRate: 0,
          errorRate: 0,
          availability: 1,
          p50Ms: 0,
          p95Ms: 0,
          p99Ms: 0,
          sla: { availability: true, p95: true, errorRate: true },
          health: 'healthy',
        });
      }
    }

    return {
      from: new Date(window.fromMs).toISOString(),
      to: new Date(window.toMs).toISOString(),
      nodes: [...nodes.values()],
      edges,
    };
  }
}

function rateLimitedOf(
  stats: RequestStats,
  counts: StatusCount[],
  windowMs: number,
): ServicePerformance['rateLimited'] {
  const seconds = windowMs / 1000;
  const byRoute = counts
    .filter(c => c.service === stats.service && c.region === stats.region)
    .sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route))
    .map(c => ({
      route: c.route,
      requests: c.requests,
      rate: c.requests / seconds,
    }));
  const requests = byRoute.reduce((sum, r) => sum + r.requests, 0);
  return { requests, rate: requests / seconds, byRoute };
}

function judge(
  stats: RequestStats,
  windowMs: number,
): Omit<ServicePerformance, 'rateLimited'> {
  const errorRate = stats.errors / stats.requests;
  const availability = 1 - errorRate;
  const sla = {
    availability: availability >= SLA.availability,
    p95: stats.p95Ms < SLA.p95Ms,
    errorRate: errorRate < SLA.errorRate,
  };

  let health: Health = 'healthy';
  if (errorRate >= FAILING_ERROR_RATE) {
    health = 'failing';
  } else if (!sla.availability || !sla.p95 || !sla.errorRate) {
    health = 'degraded';
  }

  return {
    service: stats.service,
    region: stats.region,
    requestRate: stats.requests / (windowMs / 1000),
    errorRate,
    availability,
    p50Ms: stats.p50Ms,
    p95Ms: stats.p95Ms,
    p99Ms: stats.p99Ms,
    sla,
    health,
  };
}
