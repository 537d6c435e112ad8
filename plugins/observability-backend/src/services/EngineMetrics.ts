import { Counter, Histogram, Registry } from 'prom-client';
import { LogRecord } from '../otlp/readLogsRequest';
import { SpanRecord } from '../otlp/readTraceRequest';
import { isFailedRequest, SPAN_KIND_SERVER } from '../otlp/spanOutcome';

const INGESTED_ITEMS = 'tms_observability_ingested_items_total';
const REJECTED_ITEMS = 'tms_observability_rejected_items_total';
const REQUESTS = 'tms_requests_total';
const REQUEST_ERRORS = 'tms_request_errors_total';
const REQUEST_DURATION = 'tms_request_duration_seconds';

/** Covers a fast cache hit up to the 2 s SLA and ten times past it. */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20,
];

/** Label value for routes past the series limit of a service. */
const OTHER_ROUTE = '__other__';

type RequestLabels = { service: string; route: string; region: string };

/**
 * The engine's Prometheus metrics: its own ingest counters, and the RED
 * series of every TMS service, derived from the server spans it receives.
 * Each replica counts what it received; Prometheus adds the replicas up.
 */
export class EngineMetrics {
  readonly registry: Registry;
  private readonly ingested: Counter<'signal'>;
  private readonly rejected: Counter<'signal'>;
  private readonly requests: Counter<keyof RequestLabels>;
  private readonly errors: Counter<keyof RequestLabels>;
  private readonly duration: Histogram<keyof RequestLabels>;
  private readonly routesPerService = new Map<string, Set<string>>();
  private readonly maxRoutesPerService: number;

  static create(options: { maxRoutesPerService: number }) {
    return new EngineMetrics(options.maxRoutesPerService);
  }

  private constructor(maxRoutesPerService: number) {
    this.maxRoutesPerService = maxRoutesPerService;
    this.registry = new Registry();
    const registers = [this.registry];

    this.ingested = new Counter({
      name: INGESTED_ITEMS,
      help: 'Spans and log records the engine stored, by signal.',
      labelNames: ['signal'],
      registers,
    });
    this.rejected = new Counter({
      name: REJECTED_ITEMS,
      help: 'Items the engine rejected in accepted exports, by signal.',
      labelNames: ['signal'],
      registers,
    });
    this.requests = new Counter({
      name: REQUESTS,
      help: 'Requests served by TMS services, from their server spans.',
      labelNames: ['service', 'route', 'region'],
      registers,
    });
    this.errors = new Counter({
      name: REQUEST_ERRORS,
      help: 'Requests that failed, from server spans with an error status.',
      labelNames: ['service', 'route', 'region'],
      registers,
    });
    this.duration = new Histogram({
      name: REQUEST_DURATION,
      help: 'Duration of requests served by TMS services, in seconds.',
      labelNames: ['service', 'route', 'region'],
      buckets: DURATION_BUCKETS,
      registers,
    });
  }

  recordSpans(spans: SpanRecord[], rejected: number) {
    this.ingested.inc({ signal: 'traces' }, spans.length);
    this.rejected.inc({ signal: 'traces' }, rejected);

    for (const span of spans) {
      if (span.kind !== SPAN_KIND_SERVER) {
        continue;
      }

      const labels = this.requestLabels(span);
      const seconds =
        Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) /
        1e9;
      this.requests.inc(labels);
      this.duration.observe(labels, Math.max(0, seconds));
      if (isFailedRequest(span)) {
        this.errors.inc(labels);
      }
    }
  }

  recordLogs(records: LogRecord[]) {
    this.ingested.inc({ signal: 'logs' }, records.length);
  }

  recordMetricPoints(points: number, rejected: number) {
    this.ingested.inc({ signal: 'metrics' }, points);
    this.rejected.inc({ signal: 'metrics' }, rejected);
  }

  /** The exposition in Prometheus text format. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return {
      contentType: this.registry.contentType,
      body: await this.registry.metrics(),
    };
  }

  private requestLabels(span: SpanRecord): RequestLabels {
    const route = span.attributes['http.route'];
    return {
      service: span.service,
      route: this.boundedRoute(
        span.service,
        typeof route === 'string' ? route : span.name,
      ),
      region: span.region ?? '',
    };
  }

  /**
   * A service with more routes than the limit (an unrouted path in the
   * span name, say) gets its extra routes folded into one series instead of
   * growing the exposition without end.
   */
  private boundedRoute(service: string, route: string) {
    let routes = this.routesPerService.get(service);
    if (!routes) {
      routes = new Set();
      this.routesPerService.set(service, routes);
    }
    if (routes.has(route)) {
      return route;
    }
    if (routes.size >= this.maxRoutesPerService) {
      return OTHER_ROUTE;
    }
    routes.add(route);
    return route;
  }
}
