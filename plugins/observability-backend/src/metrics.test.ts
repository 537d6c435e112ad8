import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtobufMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
  PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { ExportMetricsServiceRequest } from './otlp/protobuf';
import { observabilityPlugin } from './plugin';

const CORPUS = resolve(__dirname, '../../../../shared/corpus/otlp/examples');
const metricsExample = readFileSync(resolve(CORPUS, 'metrics.json'), 'utf8');

const SERVICE = mockCredentials.service.header();
const USER = mockCredentials.user.header();

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** 2025-12-04T10:00:00Z plus some seconds, in decimal nanoseconds. */
const at = (second: number) => `${1764842400 + second}000000000`;
const WINDOW = 'from=2025-12-04T10:00:00Z&to=2025-12-04T11:00:00Z';

type Point = Record<string, unknown>;

/** An OTLP/JSON metrics export of one service in one region. */
function metricsExport(
  service: string,
  region: string,
  metrics: Array<Record<string, unknown>>,
) {
  return {
    resourceMetrics: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: service } },
            { key: 'cloud.region', value: { stringValue: region } },
          ],
        },
        scopeMetrics: [{ scope: { name: 'tms' }, metrics }],
      },
    ],
  };
}

const sum = (
  name: string,
  temporality: number,
  dataPoints: Point[],
  unit = '{quiz}',
) => ({
  name,
  unit,
  sum: { aggregationTemporality: temporality, isMonotonic: true, dataPoints },
});

const gauge = (name: string, dataPoints: Point[]) => ({
  name,
  unit: '{user}',
  gauge: { dataPoints },
});

describe('metrics in the observability engine', () => {
  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let server: Parameters<typeof request>[0];

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          observabilityPlugin,
          mockServices.database.factory({ knex }),
        ],
      });
      server = backend.server;
    });

    const exportJson = (body: unknown) =>
      request(server)
        .post('/api/observability/v1/metrics')
        .set('Authorization', SERVICE)
        .set('Content-Type', 'application/json')
        .send(typeof body === 'string' ? body : JSON.stringify(body));

    const read = (path: string) =>
      request(server)
        .get(`/api/observability${path}`)
        .set('Authorization', USER);

    it('stores the corpus metrics example and serves it back', async () => {
      const exported = await exportJson(metricsExample);
      expect(exported.status).toBe(200);
      expect(exported.body).toEqual({});

      const points = await read(
        '/metrics/points?service=my.service&from=2018-12-13T14:50:00Z&to=2018-12-13T14:52:00Z',
      );
      expect(points.status).toBe(200);
      const byName = Object.fromEntries(
        points.body.points.map((p: { name: string }) => [p.name, p]),
      );
      expect(Object.keys(byName).sort()).toEqual([
        'my.counter',
        'my.exponential.histogram',
        'my.gauge',
        'my.histogram',
      ]);
      expect(byName['my.counter']).toEqual({
        name: 'my.counter',
        unit: '1',
        description: 'I am a Counter',
        type: 'sum',
        temporality: 1,
        monotonic: true,
        service: 'my.service',
        attributes: { 'my.counter.attr': 'some value' },
        resourceAttributes: { 'service.name': 'my.service' },
        scope: { name: 'my.library', version: '1.0.0' },
        startTimeUnixNano: '1544712660300000000',
        timeUnixNano: '1544712660300000000',
        value: 5,
      });
      expect(byName['my.gauge']).toMatchObject({ type: 'gauge', value: 10 });
      expect(byName['my.histogram']).toMatchObject({
        type: 'histogram',
        temporality: 1,
        count: 2,
        sum: 2,
        min: 0,
        max: 2,
        distribution: { explicitBounds: [1], bucketCounts: [1, 1] },
      });
      expect(byName['my.exponential.histogram']).toMatchObject({
        type: 'exponential_histogram',
        count: 3,
        sum: 10,
        min: 0,
        max: 5,
        distribution: {
          scale: 0,
          zeroCount: 1,
          zeroThreshold: 0,
          positive: { offset: 1, bucketCounts: [0, 2] },
          negative: { offset: 0, bucketCounts: [] },
        },
      });
    });

    it('reads the same points from gzip protobuf as from JSON', async () => {
      const document = metricsExport('quiz-service', 'eu-west-1', [
        sum('proto.counter', 2, [
          {
            asInt: '42',
            startTimeUnixNano: at(0),
            timeUnixNano: at(5),
            attributes: [{ key: 'quiz', value: { stringValue: 'forklift' } }],
          },
        ]),
        {
          name: 'proto.summary',
          unit: 's',
          summary: {
            dataPoints: [
              {
                timeUnixNano: at(5),
                count: '4',
                sum: 2.5,
                quantileValues: [
                  { quantile: 0.5, value: 0.5 },
                  { quantile: 0.99, value: 1.25 },
                ],
              },
            ],
          },
        },
      ]);
      const message = ExportMetricsServiceRequest.fromObject(document);
      const body = gzipSync(
        ExportMetricsServiceRequest.encode(message).finish(),
      );

      const exported = await request(server)
        .post('/api/observability/v1/metrics')
        .set('Authorization', SERVICE)
        .set('Content-Type', 'application/x-protobuf')
        .set('Content-Encoding', 'gzip')
        .send(body);
      expect(exported.status).toBe(200);
      expect(exported.type).toBe('application/x-protobuf');

      const points = await read(
        `/metrics/points?service=quiz-service&${WINDOW}`,
      );
      expect(points.body.points).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'proto.counter',
            region: 'eu-west-1',
            temporality: 2,
            value: 42,
            attributes: { quiz: 'forklift' },
          }),
          expect.objectContaining({
            name: 'proto.summary',
            type: 'summary',
            count: 4,
            sum: 2.5,
            distribution: {
              quantileValues: [
                { quantile: 0.5, value: 0.5 },
                { quantile: 0.99, value: 1.25 },
              ],
            },
          }),
        ]),
      );
    });

    it('rejects points without a time or a name and stores the rest', async () => {
      const exported = await exportJson(
        metricsExport('user-service', 'us-east-1', [
          gauge('partial.gauge', [
            { asDouble: 1, timeUnixNano: at(10) },
            { asDouble: 2 },
            { asDouble: 'NaN', timeUnixNano: at(11) },
          ]),
          gauge('', [{ asDouble: 3, timeUnixNano: at(12) }]),
        ]),
      );

      expect(exported.status).toBe(200);
      expect(exported.body).toEqual({
        partialSuccess: {
          rejectedDataPoints: '3',
          errorMessage:
            'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[1]: a data point needs a timeUnixNano',
        },
      });
      const points = await read(`/metrics/points?name=partial.gauge&${WINDOW}`);
      expect(points.body.points.map((p: { value: number }) => p.value)).toEqual(
        [1],
      );
    });

    it('names a malformed field in its 400 and stores nothing', async () => {
      const exported = await exportJson(
        metricsExport('user-service', 'us-east-1', [
          gauge('bad.gauge', [{ asDouble: 1, timeUnixNano: at(10) }]),
          {
            name: 'bad.sum',
            sum: {
              aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA',
              dataPoints: [],
            },
          },
        ]),
      );

      expect(exported.status).toBe(400);
      expect(exported.body.error.message).toBe(
        "resourceMetrics[0].scopeMetrics[0].metrics[1].sum.aggregationTemporality: expected an integer, got 'AGGREGATION_TEMPORALITY_DELTA'",
      );
      const points = await read(`/metrics/points?name=bad.gauge&${WINDOW}`);
      expect(points.body.points).toEqual([]);
    });

    it('refuses a metric with two kinds of data', async () => {
      const exported = await exportJson(
        metricsExport('user-service', 'us-east-1', [
          { name: 'two', gauge: { dataPoints: [] }, sum: { dataPoints: [] } },
        ]),
      );

      expect(exported.status).toBe(400);
      expect(exported.body.error.message).toBe(
        "resourceMetrics[0].scopeMetrics[0].metrics[0]: expected one of gauge, sum, histogram, exponentialHistogram or summary, got 'gauge and sum'",
      );
    });

    it('computes the business KPIs of a window', async () => {
      const DELTA = 1;
      const CUMULATIVE = 2;
      // Quizzes in eu-west-1 as deltas; in us-east-1 as running totals of
      // a series that started before the window.
      await exportJson(
        metricsExport('quiz-service', 'eu-west-1', [
          sum('tms.business.quiz.started', DELTA, [
            { asInt: '6', startTimeUnixNano: at(0), timeUnixNano: at(60) },
            { asInt: '4', startTimeUnixNano: at(60), timeUnixNano: at(120) },
          ]),
          sum('tms.business.quiz.completed', DELTA, [
            { asInt: '5', startTimeUnixNano: at(0), timeUnixNano: at(60) },
            { asInt: '3', startTimeUnixNano: at(60), timeUnixNano: at(120) },
          ]),
        ]),
      ).expect(200);
      await exportJson(
        metricsExport('quiz-service', 'us-east-1', [
          sum('tms.business.quiz.started', CUMULATIVE, [
            { asInt: '100', startTimeUnixNano: at(-600), timeUnixNano: at(60) },
            {
              asInt: '110',
              startTimeUnixNano: at(-600),
              timeUnixNano: at(120),
            },
          ]),
          sum('tms.business.quiz.completed', CUMULATIVE, [
            { asInt: '80', startTimeUnixNano: at(-600), timeUnixNano: at(60) },
            { asInt: '82', startTimeUnixNano: at(-600), timeUnixNano: at(120) },
          ]),
        ]),
      ).expect(200);
      await exportJson(
        metricsExport('auth-service', 'eu-west-1', [
          gauge('tms.business.active_users', [
            { asInt: '12', timeUnixNano: at(60) },
            { asInt: '15', timeUnixNano: at(120) },
          ]),
        ]),
      ).expect(200);
      await exportJson(
        metricsExport('auth-service', 'us-east-1', [
          gauge('tms.business.active_users', [
            { asInt: '7', timeUnixNano: at(90) },
          ]),
        ]),
      ).expect(200);
      await exportJson(
        metricsExport('safety-check-service', 'eu-west-1', [
          sum(
            'tms.business.safety_checks',
            DELTA,
            [true, true, true, false].map((compliant, i) => ({
              asInt: '1',
              startTimeUnixNano: at(i),
              timeUnixNano: at(i + 1),
              attributes: [
                { key: 'compliant', value: { boolValue: compliant } },
              ],
            })),
            '{check}',
          ),
          sum(
            'tms.business.invoices.generated',
            CUMULATIVE,
            [{ asInt: '9', startTimeUnixNano: at(30), timeUnixNano: at(90) }],
            '{invoice}',
          ),
        ]),
      ).expect(200);
      await exportJson(
        metricsExport('feedback-service', 'eu-west-1', [
          {
            name: 'tms.business.customer_satisfaction',
            unit: '{rating}',
            histogram: {
              aggregationTemporality: CUMULATIVE,
              dataPoints: [
                {
                  startTimeUnixNano: at(10),
                  timeUnixNano: at(60),
                  count: '2',
                  sum: 9,
                  bucketCounts: ['0', '0', '0', '1', '1'],
                  explicitBounds: [1, 2, 3, 4],
                },
                {
                  startTimeUnixNano: at(10),
                  timeUnixNano: at(120),
                  count: '4',
                  sum: 15,
                  bucketCounts: ['0', '1', '0', '2', '1'],
                  explicitBounds: [1, 2, 3, 4],
                },
              ],
            },
          },
        ]),
      ).expect(200);

      const kpis = await read(`/business/metrics?${WINDOW}`);

      expect(kpis.status).toBe(200);
      expect(kpis.body).toEqual({
        from: '2025-12-04T10:00:00.000Z',
        to: '2025-12-04T11:00:00.000Z',
        region: null,
        activeUsers: {
          total: 22,
          byRegion: [
            { region: 'eu-west-1', users: 15 },
            { region: 'us-east-1', users: 7 },
          ],
        },
        // 10 + (110 - 100) started, 8 + (82 - 80) completed.
        quizzes: { started: 20, completed: 10, completionRate: 0.5 },
        safetyChecks: { total: 4, compliant: 3, complianceRate: 0.75 },
        invoices: { generated: 9, processed: null },
        customerSatisfaction: { responses: 4, average: 3.75 },
      });

      const euWest = await read(`/business/metrics?${WINDOW}&region=eu-west-1`);
      expect(euWest.body.region).toBe('eu-west-1');
      expect(euWest.body.quizzes).toEqual({
        started: 10,
        completed: 8,
        completionRate: 0.8,
      });
      expect(euWest.body.activeUsers.byRegion).toEqual([
        { region: 'eu-west-1', users: 15 },
      ]);
    });

    it('answers null for a window without data', async () => {
      const kpis = await read(
        '/business/metrics?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z',
      );

      expect(kpis.status).toBe(200);
      expect(kpis.body).toMatchObject({
        activeUsers: { total: null, byRegion: [] },
        quizzes: { started: null, completed: null, completionRate: null },
        safetyChecks: { total: null, compliant: null, complianceRate: null },
        invoices: { generated: null, processed: null },
        customerSatisfaction: { responses: null, average: null },
      });
    });

    it('exposes the KPIs of the last hour on /metrics', async () => {
      const now = `${Date.now()}000000`;
      const before = (await read('/metrics')).text;
      // Nothing of the last hour yet: the KPIs are left out, not 0.
      expect(before).not.toMatch(/^tms_business_quiz_completion_ratio\{/m);

      await exportJson(
        metricsExport('quiz-service', 'ap-southeast-1', [
          sum('tms.business.quiz.started', 1, [
            { asInt: '4', startTimeUnixNano: now, timeUnixNano: now },
          ]),
          sum('tms.business.quiz.completed', 1, [
            { asInt: '3', startTimeUnixNano: now, timeUnixNano: now },
          ]),
          gauge('tms.business.active_users', [
            { asInt: '9', timeUnixNano: now },
          ]),
        ]),
      ).expect(200);

      const after = await read('/metrics');
      expect(after.text).toContain(
        'tms_business_quiz_completion_ratio{window="1h"} 0.75',
      );
      expect(after.text).toContain(
        'tms_business_active_users{region="ap-southeast-1"} 9',
      );
      expect(after.text).not.toMatch(/^tms_business_invoices\{/m);
    });

    it('refuses a business window that ends before it starts', async () => {
      const kpis = await read(
        '/business/metrics?from=2025-12-04T11:00:00Z&to=2025-12-04T10:00:00Z',
      );

      expect(kpis.status).toBe(400);
      expect(kpis.body.error.message).toMatch(/from must be before to/);
    });
  });
});

/*
 * The OpenTelemetry SDK's own metric exporters against the engine: an
 * independent encoder of OTLP metrics in both encodings.
 */
describe('OpenTelemetry SDK metric exporters', () => {
  it.each([
    ['OTLP/JSON', (options: object) => new JsonMetricExporter(options)],
    ['OTLP/protobuf', (options: object) => new ProtobufMetricExporter(options)],
  ])('deliver metrics over %s', async (_, createExporter) => {
    const { server } = await startTestBackend({
      features: [observabilityPlugin, mockServices.database.factory()],
    });
    const { port } = server.address() as AddressInfo;
    const exporter: PushMetricExporter = createExporter({
      url: `http://127.0.0.1:${port}/api/observability/v1/metrics`,
      headers: { Authorization: SERVICE },
      temporalityPreference: AggregationTemporality.DELTA,
    });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({
        'service.name': 'invoice-service',
        'cloud.region': 'ap-southeast-1',
      }),
      readers: [
        new PeriodicExportingMetricReader({
          exporter,
          exportIntervalMillis: 60_000,
        }),
      ],
    });
    const meter = provider.getMeter('tms-tests', '1.0.0');
    meter
      .createCounter('tms.business.invoices.processed', { unit: '{invoice}' })
      .add(3);
    meter
      .createHistogram('tms.business.customer_satisfaction', {
        unit: '{rating}',
        advice: { explicitBucketBoundaries: [1, 2, 3, 4] },
      })
      .record(5);
    await provider.forceFlush();
    await provider.shutdown();

    const kpis = await request(server)
      .get('/api/observability/business/metrics')
      .set('Authorization', USER);

    expect(kpis.body.invoices).toEqual({ generated: null, processed: 3 });
    expect(kpis.body.customerSatisfaction).toEqual({
      responses: 1,
      average: 5,
    });
  });
});
