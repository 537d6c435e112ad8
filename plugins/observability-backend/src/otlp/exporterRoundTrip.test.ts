import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  SimpleSpanProcessor,
  SpanExporter,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { observabilityPlugin } from '../plugin';

/*
 * The OpenTelemetry SDK's own OTLP exporters, in both encodings, against the
 * engine: an independent encoder of the protocol the receiver reads.
 */
describe('OpenTelemetry SDK exporters', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let url: string;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [observabilityPlugin, mockServices.database.factory()],
    });
    server = backend.server;
    const { port } = server.address() as AddressInfo;
    url = `http://127.0.0.1:${port}/api/observability/v1/traces`;
  });

  it.each([
    ['OTLP/JSON', (options: object) => new JsonTraceExporter(options)],
    ['OTLP/protobuf', (options: object) => new ProtobufTraceExporter(options)],
  ])(
    'deliver spans over %s that come back whole',
    async (_, createExporter) => {
      const exporter: SpanExporter = createExporter({
        url,
        headers: { Authorization: mockCredentials.service.header() },
      });
      const provider = new TracerProvider({
        resource: resourceFromAttributes({
          'service.name': 'invoice-service',
          'cloud.region': 'ap-southeast-1',
        }),
        spanProcessors: [new SimpleSpanProcessor({ exporter })],
      });
      const tracer = provider.getTracer('tms-tests', '1.0.0');

      const parent = tracer.startSpan('POST /api/invoices', {
        attributes: { 'http.request.method': 'POST', 'invoice.count': 3 },
      });
      parent.addEvent('invoice.rendered', { pages: 2 });
      parent.end();
      await provider.forceFlush();
      await provider.shutdown();

      const { traceId, spanId } = parent.spanContext();
      const trace = await request(server)
        .get(`/api/observability/traces/${traceId}`)
        .set('Authorization', mockCredentials.user.header());

      expect(trace.status).toBe(200);
      expect(trace.body.spans).toEqual([
        expect.objectContaining({
          traceId,
          spanId,
          name: 'POST /api/invoices',
          service: 'invoice-service',
          region: 'ap-southeast-1',
          attributes: { 'http.request.method': 'POST', 'invoice.count': 3 },
          scope: { name: 'tms-tests', version: '1.0.0' },
          events: [
            expect.objectContaining({
              name: 'invoice.rendered',
              attributes: { pages: 2 },
            }),
          ],
        }),
      ]);
    },
  );
});
