import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';

// Loaded with --import before the service, so that the HTTP instrumentation
// is in place when the server module loads node:http.
const endpoint =
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT ??
  'http://observability-service.tms.svc.cluster.local:8010';

const sdk = new NodeSDK({
  resource: resourceFromAttributes({
    'service.name': '${{ values.name }}',
    'deployment.environment': process.env.TMS_REGION ?? 'local',
  }),
  traceExporter: new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }),
  metricReader: new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: `${endpoint}/v1/metrics` }),
  }),
  instrumentations: [new HttpInstrumentation()],
});

sdk.start();

process.on('SIGTERM', () => {
  sdk.shutdown().finally(() => process.exit(0));
});
