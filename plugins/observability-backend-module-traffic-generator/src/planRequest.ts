import { Conditions } from './scenarios';
import { RegionId, routeOf } from './workload';

/** One service's part of a simulated request, with the calls it made. */
export interface RequestPlan {
  service: string;
  route: string;
  region: RegionId;
  protocol: 'http' | 'grpc';
  startMs: number;
  durationMs: number;
  httpStatus: number;
  /** Set on gRPC routes; non-zero means the call failed. */
  grpcStatus?: number;
  calls: RequestPlan[];
}

const GRPC_UNAVAILABLE = 14;

/** How long an unavailable region's gateway takes to refuse. */
const REFUSAL_MS = 4;

/**
 * Works out one request through the call graph, before any span is made:
 * each service spends its own time (the route's median with log-normal
 * jitter) and calls its downstream routes one after the other. A failing
 * call makes its caller fail too.
 */
export function planRequest(options: {
  service: string;
  route: string;
  region: RegionId;
  startMs: number;
  conditions: Conditions;
  random: () => number;
}): RequestPlan {
  const { service, route, region, startMs, conditions, random } = options;
  const model = routeOf(service, route);
  const protocol = model.protocol ?? 'http';

  if (conditions.regionsDown.includes(region) && service === 'api-gateway') {
    return {
      service,
      route,
      region,
      protocol,
      startMs,
      durationMs: REFUSAL_MS,
      httpStatus: 503,
      calls: [],
    };
  }

  const selfMs = model.selfMs * Math.exp(gaussian(random) * 0.35);
  let clock = startMs + selfMs / 2;
  const calls: RequestPlan[] = [];
  for (const call of model.calls) {
    const plan = planRequest({
      ...options,
      service: call.service,
      route: call.route,
      startMs: clock + 0.5,
    });
    calls.push(plan);
    clock = plan.startMs + plan.durationMs + 0.5;
  }

  const downstreamFailed = calls.some(isFailure);
  const failed = downstreamFailed || random() < model.errorRate;
  const grpcStatus = failed ? GRPC_UNAVAILABLE : 0;
  return {
    service,
    route,
    region,
    protocol,
    startMs,
    durationMs: clock - startMs + selfMs / 2,
    // gRPC reports its failures in its own status and keeps HTTP at 200.
    httpStatus: failed && protocol === 'http' ? 500 : 200,
    grpcStatus: protocol === 'grpc' ? grpcStatus : undefined,
    calls,
  };
}

export function isFailure(plan: RequestPlan) {
  return plan.httpStatus >= 500 || (plan.grpcStatus ?? 0) !== 0;
}

/** A standard normal draw (Box-Muller). */
function gaussian(random: () => number) {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
