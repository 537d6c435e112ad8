import { SpanRecord } from '../otlp/readTraceRequest';
import { isFailedRequest } from '../otlp/spanOutcome';
import { EngineMetrics } from './EngineMetrics';

function serverSpan(overrides: Partial<SpanRecord> = {}): SpanRecord {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    name: 'GET /api/quizzes/:id',
    kind: 2,
    service: 'quiz-service',
    region: 'eu-west-1',
    startTimeUnixNano: '1764770000000000000',
    endTimeUnixNano: '1764770000150000000',
    statusCode: 0,
    attributes: {},
    resourceAttributes: {},
    scope: { name: 'tms', version: '1' },
    events: [],
    links: [],
    ...overrides,
  };
}

async function valueOf(metrics: EngineMetrics, name: string, labels: object) {
  const metric = await metrics.registry.getSingleMetric(name)!.get();
  return metric.values.find(v =>
    Object.entries(labels).every(
      ([key, value]) => (v.labels as Record<string, unknown>)[key] === value,
    ),
  )?.value;
}

describe('isFailedRequest', () => {
  it.each([
    ['an error status', { statusCode: 2 }, true],
    ['HTTP 503', { attributes: { 'http.response.status_code': 503 } }, true],
    ['HTTP 404', { attributes: { 'http.response.status_code': 404 } }, false],
    [
      'gRPC UNAVAILABLE inside HTTP 200',
      {
        attributes: {
          'http.response.status_code': 200,
          'rpc.grpc.status_code': 14,
        },
      },
      true,
    ],
    ['gRPC OK', { attributes: { 'rpc.grpc.status_code': 0 } }, false],
    ['an ok span', {}, false],
  ])('counts %s as %s', (_, overrides, failed) => {
    expect(isFailedRequest(serverSpan(overrides))).toBe(failed);
  });
});

describe('EngineMetrics', () => {
  it('derives requests, errors and durations from server spans only', async () => {
    const metrics = EngineMetrics.create({ maxRoutesPerService: 10 });

    metrics.recordSpans(
      [
        serverSpan({ attributes: { 'http.route': '/api/quizzes/:id' } }),
        serverSpan({
          statusCode: 2,
          attributes: { 'http.route': '/api/quizzes/:id' },
        }),
        // The caller's side of the same request is not counted again.
        serverSpan({ kind: 3, service: 'api-gateway' }),
      ],
      1,
    );

    const labels = {
      service: 'quiz-service',
      route: '/api/quizzes/:id',
      region: 'eu-west-1',
    };
    expect(await valueOf(metrics, 'tms_requests_total', labels)).toBe(2);
    expect(await valueOf(metrics, 'tms_request_errors_total', labels)).toBe(1);
    expect(
      await valueOf(metrics, 'tms_observability_ingested_items_total', {
        signal: 'traces',
      }),
    ).toBe(3);
    expect(
      await valueOf(metrics, 'tms_observability_rejected_items_total', {
        signal: 'traces',
      }),
    ).toBe(1);
    expect(
      await valueOf(metrics, 'tms_requests_total', { service: 'api-gateway' }),
    ).toBeUndefined();

    const exposition = (await metrics.exposition()).body;
    expect(exposition).toContain(
      'tms_request_duration_seconds_bucket{le="0.25",service="quiz-service",route="/api/quizzes/:id",region="eu-west-1"} 2',
    );
  });

  it('folds routes past the limit into one series per service', async () => {
    const metrics = EngineMetrics.create({ maxRoutesPerService: 2 });

    metrics.recordSpans(
      ['/a', '/b', '/c', '/d', '/a'].map(route =>
        serverSpan({ attributes: { 'http.route': route } }),
      ),
      0,
    );

    const routes = (
      await metrics.registry.getSingleMetric('tms_requests_total')!.get()
    ).values.map(v => [v.labels.route, v.value]);
    expect(routes).toEqual([
      ['/a', 2],
      ['/b', 1],
      ['__other__', 2],
    ]);
  });
});
