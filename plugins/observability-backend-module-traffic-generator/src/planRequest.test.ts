import { isFailure, planRequest, RequestPlan } from './planRequest';

/** A fixed sequence of draws, so that a plan is the same every run. */
function draws(values: number[]) {
  let i = 0;
  return () => values[i++ % values.length];
}

const calm = { bruteForce: false, regionsDown: [] };

function services(plan: RequestPlan): string[] {
  return [plan.service, ...plan.calls.flatMap(services)];
}

describe('planRequest', () => {
  it('follows the call graph, each call after the one before', () => {
    const plan = planRequest({
      service: 'api-gateway',
      route: 'GET /api/reports/:id',
      region: 'eu-west-1',
      startMs: 1000,
      conditions: calm,
      random: draws([0.5, 0.9]),
    });

    expect(services(plan)).toEqual([
      'api-gateway',
      'auth-service',
      'reporting-service',
      'quiz-service',
      'invoice-service',
    ]);
    const [verify, report] = plan.calls;
    expect(report.startMs).toBeGreaterThan(verify.startMs + verify.durationMs);
    expect(plan.startMs + plan.durationMs).toBeGreaterThan(
      report.startMs + report.durationMs,
    );
    expect(isFailure(plan)).toBe(false);
  });

  it('fails a gRPC call inside HTTP 200 and fails its callers', () => {
    // Draws in the order the plan takes them: two for each service's
    // jitter (0.5 and 0.25 make none), then one to decide its failure.
    const plan = planRequest({
      service: 'reporting-service',
      route: 'GET /reports/:id',
      region: 'us-east-1',
      startMs: 0,
      conditions: calm,
      random: draws([0.5, 0.25, 0.5, 0.25, 0.0001, 0.5, 0.25, 0.9]),
    });

    const quizStats = plan.calls[0];
    expect(quizStats).toEqual(
      expect.objectContaining({
        protocol: 'grpc',
        httpStatus: 200,
        grpcStatus: 14,
      }),
    );
    // reporting-service did not draw a failure of its own.
    expect(plan.calls[1].grpcStatus).toBe(0);
    expect(plan.httpStatus).toBe(500);
    // Its own 120 ms, both calls, and half a millisecond of network on
    // each side of each call.
    expect(plan.durationMs).toBeCloseTo(
      120 + quizStats.durationMs + plan.calls[1].durationMs + 2,
    );
  });

  it('refuses every request at the gateway of a region that is down', () => {
    const plan = planRequest({
      service: 'api-gateway',
      route: 'GET /api/invoices',
      region: 'us-east-1',
      startMs: 0,
      conditions: { bruteForce: false, regionsDown: ['us-east-1'] },
      random: draws([0.5]),
    });

    expect(plan).toEqual(
      expect.objectContaining({ httpStatus: 503, calls: [] }),
    );
  });

  it('names a route the workload lacks', () => {
    expect(() =>
      planRequest({
        service: 'quiz-service',
        route: 'DELETE /everything',
        region: 'eu-west-1',
        startMs: 0,
        conditions: calm,
        random: Math.random,
      }),
    ).toThrow(
      "The workload has no route 'DELETE /everything' on 'quiz-service'",
    );
  });
});
