import {
  context,
  Context,
  SeverityNumber,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtobufMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  LogRecordExporter,
} from '@opentelemetry/sdk-logs';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  SpanExporter,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import {
  ACTIVE_USER_MS,
  BUSINESS_ROUTES,
  BusinessInstruments,
} from './businessActivity';
import { LoginReporter } from './LoginReporter';
import { isFailure, planRequest, RequestPlan } from './planRequest';
import { Conditions, conditionsAt, ScenarioName } from './scenarios';
import {
  ATTACKER_ADDRESSES,
  CLIENT_NETWORKS,
  ENTRY_POINTS,
  RegionId,
  REGIONS,
} from './workload';

export type OtlpEncoding = 'json' | 'protobuf';

export interface TrafficGeneratorOptions {
  /** Base URL of the engine's OTLP receiver; /v1/traces etc. are added. */
  endpoint: string;
  encoding: OtlpEncoding;
  /** Headers for every export, such as a service token. */
  headers: () => Promise<Record<string, string>>;
  requestsPerSecond: number;
  scenarios: ScenarioName[];
  /** Take turns between scenarios in cycles of this length; see scenarios. */
  cycleMinutes?: number;
  random?: () => number;
  /** Reports each login attempt to the zero-trust engine, as auth-service does. */
  loginReporter?: LoginReporter;
}

/** The OpenTelemetry SDK of one service in one region. */
interface ServiceTelemetry {
  tracerProvider: TracerProvider;
  loggerProvider: LoggerProvider;
  /** Only for the services that report business metrics. */
  meterProvider?: MeterProvider;
  business?: BusinessInstruments;
}

/** How often each service exports its metrics. */
const METRIC_EXPORT_MS = 10_000;

/** Users that sign in, as user0@... to user499@... */
const USERS = 500;

const TICK_MS = 250;

/** Login attempts per second that the brute-force scenario adds. */
const ATTACK_RATE = 15;

/**
 * Plays the TMS services in three regions: requests follow the call graph
 * of the workload, and every service exports its own spans and logs through
 * the OpenTelemetry SDK's OTLP exporters, as a real TMS service does.
 */
export class TrafficGenerator {
  private readonly options: Required<
    Omit<TrafficGeneratorOptions, 'cycleMinutes' | 'loginReporter'>
  > & { cycleMinutes?: number; loginReporter?: LoginReporter };
  private readonly telemetry = new Map<string, ServiceTelemetry>();
  private readonly exporters: {
    traces: SpanExporter;
    logs: LogRecordExporter;
  };
  private timer?: NodeJS.Timeout;
  private startedAtMs = 0;
  private owed = 0;
  private attackOwed = 0;
  private requestCount = 0;
  /** When each user last signed in, per region: the active users. */
  private readonly signIns = new Map<RegionId, Map<string, number>>();
  private lastTickMs = 0;

  static create(options: TrafficGeneratorOptions) {
    return new TrafficGenerator(options);
  }

  private constructor(options: TrafficGeneratorOptions) {
    this.options = { random: Math.random, ...options };

    // One exporter per signal serves every simulated service: each span
    // carries its service's resource, and the exporter groups by resource.
    const { endpoint, encoding, headers } = options;
    // Thirty services share an exporter and may flush at once: room for
    // each to have a few exports in flight.
    const target = (signal: string) => ({
      url: `${endpoint}/v1/${signal}`,
      headers,
      concurrencyLimit: 120,
    });
    this.exporters =
      encoding === 'json'
        ? {
            traces: new JsonTraceExporter(target('traces')),
            logs: new JsonLogExporter(target('logs')),
          }
        : {
            traces: new ProtobufTraceExporter(target('traces')),
            logs: new ProtobufLogExporter(target('logs')),
          };
  }

  /** Requests made so far, attack included. */
  get requests() {
    return this.requestCount;
  }

  start() {
    this.startedAtMs = Date.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Stops making requests and sends what is still buffered. */
  async stop() {
    clearInterval(this.timer);
    this.timer = undefined;

    // Flush every service's buffers first; the shared exporters go last.
    // Each meter provider has an exporter of its own, which its shutdown
    // flushes and closes.
    await Promise.all(
      [...this.telemetry.values()].flatMap(t => [
        t.tracerProvider.forceFlush(),
        t.loggerProvider.forceFlush(),
        ...(t.meterProvider ? [t.meterProvider.shutdown()] : []),
      ]),
    );
    this.telemetry.clear();
    await Promise.all([
      this.exporters.traces.shutdown(),
      this.exporters.logs.shutdown(),
    ]);
  }

  /** Makes one tick's worth of requests; public for tests and the CLI. */
  tick(nowMs = Date.now()) {
    this.lastTickMs = nowMs;
    const conditions = conditionsAt({
      scenarios: this.options.scenarios,
      cycleMinutes: this.options.cycleMinutes,
      startedAtMs: this.startedAtMs || nowMs,
      nowMs,
    });

    this.owed += (this.options.requestsPerSecond * TICK_MS) / 1000;
    for (; this.owed >= 1; this.owed -= 1) {
      this.playRequest(nowMs, conditions);
    }

    if (conditions.bruteForce) {
      this.attackOwed += (ATTACK_RATE * TICK_MS) / 1000;
      for (; this.attackOwed >= 1; this.attackOwed -= 1) {
        this.playFailedLogin(nowMs, conditions);
      }
    }
  }

  private playRequest(nowMs: number, conditions: Conditions) {
    const { random } = this.options;
    const entry = pick(ENTRY_POINTS, random);
    const region = pick(REGIONS, random).id;

    const plan = planRequest({
      service: entry.service,
      route: entry.route,
      region,
      startMs: nowMs,
      conditions,
      random,
    });
    this.emit(plan, context.active());
    this.requestCount += 1;
  }

  /**
   * One attempt of the brute-force attack: a login through the gateway
   * from one of a few addresses, refused by auth-service, which logs it as
   * a failed login the way the real service does.
   */
  private playFailedLogin(nowMs: number, conditions: Conditions) {
    const { random } = this.options;
    // The attacker's requests land where the load balancer sends them: in a
    // region that is up.
    const up = REGIONS.filter(r => !conditions.regionsDown.includes(r.id));
    if (up.length === 0) {
      return;
    }
    const region = pick(up, random).id;
    const address = pick(ATTACKER_ADDRESSES, random);
    const user = `user${Math.floor(random() * 50)}@tms.example.com`;

    const gateway = this.service('api-gateway', region);
    const auth = this.service('auth-service', region);
    const gatewaySpan = gateway.tracerProvider
      .getTracer('tms-traffic-generator')
      .startSpan(
        'POST /auth/login',
        {
          kind: SpanKind.SERVER,
          startTime: nowMs,
          attributes: {
            'http.request.method': 'POST',
            'http.route': '/auth/login',
            'http.response.status_code': 401,
            'client.address': address,
          },
        },
        context.active(),
      );
    const authContext = trace.setSpan(context.active(), gatewaySpan);
    const authSpan = auth.tracerProvider
      .getTracer('tms-traffic-generator')
      .startSpan(
        'POST /login',
        {
          kind: SpanKind.SERVER,
          startTime: nowMs + 1,
          attributes: {
            'http.request.method': 'POST',
            'http.route': '/login',
            'http.response.status_code': 401,
            'client.address': address,
            'user.name': user,
            'tls.established': true,
            'tls.client.subject':
              'spiffe://tms.example.com/ns/tms/sa/api-gateway',
          },
        },
        authContext,
      );

    auth.loggerProvider.getLogger('tms-traffic-generator').emit({
      timestamp: nowMs + 40,
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      eventName: 'auth.login.failed',
      body: `Login failed for ${user} from ${address}: wrong password`,
      attributes: { 'client.address': address, 'user.name': user },
      context: trace.setSpan(context.active(), authSpan),
    });
    this.options.loginReporter?.report({
      user,
      clientAddress: address,
      outcome: 'failed',
    });
    authSpan.end(nowMs + 41);
    gatewaySpan.end(nowMs + 43);
    this.requestCount += 1;
  }

  /**
   * Makes the spans of a plan: a server span for each service, and for each
   * call a client span in the caller with the callee's server span under it.
   */
  private emit(plan: RequestPlan, parent: Context, caller?: string) {
    const telemetry = this.service(plan.service, plan.region);
    const tracer = telemetry.tracerProvider.getTracer('tms-traffic-generator');
    const failed = isFailure(plan);
    const [method, ...path] = plan.route.split(' ');
    const http = plan.protocol === 'http';

    const server = tracer.startSpan(
      plan.route,
      {
        kind: SpanKind.SERVER,
        startTime: plan.startMs,
        attributes: {
          'http.response.status_code': plan.httpStatus,
          ...(http
            ? { 'http.request.method': method, 'http.route': path.join(' ') }
            : {
                'rpc.system': 'grpc',
                'rpc.method': plan.route,
                'rpc.grpc.status_code': plan.grpcStatus ?? 0,
              }),
          // Inside the mesh the sidecars speak mutual TLS and report the
          // caller's identity; requests from outside arrive without it.
          ...(caller
            ? {
                'tls.established': true,
                'tls.client.subject': `spiffe://tms.example.com/ns/tms/sa/${caller}`,
              }
            : {}),
        },
      },
      parent,
    );
    if (failed) {
      server.setStatus({ code: SpanStatusCode.ERROR });
    }
    const serverContext = trace.setSpan(parent, server);

    for (const call of plan.calls) {
      const client = tracer.startSpan(
        call.route,
        {
          kind: SpanKind.CLIENT,
          startTime: call.startMs - 0.25,
          attributes: { 'peer.service': call.service },
        },
        serverContext,
      );
      this.emit(call, trace.setSpan(serverContext, client), plan.service);
      client.end(call.startMs + call.durationMs + 0.25);
    }

    if (failed || plan.service === 'api-gateway') {
      telemetry.loggerProvider.getLogger('tms-traffic-generator').emit({
        timestamp: plan.startMs + plan.durationMs,
        severityNumber: failed ? SeverityNumber.ERROR : SeverityNumber.INFO,
        severityText: failed ? 'ERROR' : 'INFO',
        body: failed
          ? `${plan.route} failed with ${
              plan.httpStatus === 503
                ? 'region unavailable'
                : 'an internal error'
            }`
          : `${plan.route} answered ${plan.httpStatus} in ${Math.round(
              plan.durationMs,
            )} ms`,
        attributes: { 'http.route': plan.route },
        context: serverContext,
      });
    }
    this.recordBusiness(plan, failed, telemetry, serverContext);
    server.end(plan.startMs + plan.durationMs);
  }

  /**
   * What a served request means for the business: a sign-in logged as
   * `auth.login.succeeded` and counted as an active user, quizzes, safety
   * checks, invoices and ratings counted by the service that served them.
   */
  private recordBusiness(
    plan: RequestPlan,
    failed: boolean,
    telemetry: ServiceTelemetry,
    serverContext: Context,
  ) {
    if (!telemetry.business || BUSINESS_ROUTES[plan.service] !== plan.route) {
      return;
    }
    const { random } = this.options;

    if (plan.service === 'auth-service') {
      if (failed) {
        return;
      }
      const user = `user${Math.floor(random() * USERS)}@tms.example.com`;
      const network = pick(CLIENT_NETWORKS, random);
      const address = `${network}.${1 + Math.floor(random() * 250)}`;
      const endMs = plan.startMs + plan.durationMs;
      this.signInsOf(plan.region).set(user, endMs);
      telemetry.loggerProvider.getLogger('tms-traffic-generator').emit({
        timestamp: endMs,
        severityNumber: SeverityNumber.INFO,
        severityText: 'INFO',
        eventName: 'auth.login.succeeded',
        body: `Login succeeded for ${user} from ${address}`,
        attributes: { 'client.address': address, 'user.name': user },
        context: serverContext,
      });
      // Successes too: the engine's impossible-travel and volume checks
      // look at every login, not only the failed ones.
      this.options.loginReporter?.report({
        user,
        clientAddress: address,
        outcome: 'succeeded',
      });
      return;
    }

    telemetry.business.record(plan, failed, random);
  }

  private signInsOf(region: RegionId) {
    let signIns = this.signIns.get(region);
    if (!signIns) {
      signIns = new Map();
      this.signIns.set(region, signIns);
    }
    return signIns;
  }

  /** Users of a region who signed in within the active period. */
  private activeUsers(region: RegionId) {
    const since = this.lastTickMs - ACTIVE_USER_MS;
    const signIns = this.signInsOf(region);
    for (const [user, atMs] of signIns) {
      if (atMs < since) {
        signIns.delete(user);
      }
    }
    return signIns.size;
  }

  private service(name: string, region: RegionId): ServiceTelemetry {
    const key = `${name}/${region}`;
    const existing = this.telemetry.get(key);
    if (existing) {
      return existing;
    }

    const resource = resourceFromAttributes({
      'service.name': name,
      'service.namespace': 'tms',
      'cloud.region': region,
      'deployment.environment.name': 'embedded',
    });

    const created: ServiceTelemetry = {
      ...this.meters(name, region, resource),
      tracerProvider: new TracerProvider({
        resource,
        spanProcessors: [
          new BatchSpanProcessor({
            exporter: this.exporters.traces,
            scheduledDelayMillis: 1000,
          }),
        ],
      }),
      loggerProvider: new LoggerProvider({
        resource,
        processors: [
          new BatchLogRecordProcessor({
            exporter: this.exporters.logs,
            scheduledDelayMillis: 1000,
          }),
        ],
      }),
    };
    this.telemetry.set(key, created);
    return created;
  }

  /**
   * A meter provider with an exporter of its own (a metric reader shuts its
   * exporter down with it), for a service that reports business metrics.
   */
  private meters(
    name: string,
    region: RegionId,
    resource: ReturnType<typeof resourceFromAttributes>,
  ): Pick<ServiceTelemetry, 'meterProvider' | 'business'> {
    if (!BUSINESS_ROUTES[name]) {
      return {};
    }
    const { endpoint, encoding, headers } = this.options;
    const target = { url: `${endpoint}/v1/metrics`, headers };
    const exporter =
      encoding === 'json'
        ? new JsonMetricExporter(target)
        : new ProtobufMetricExporter(target);
    const meterProvider = new MeterProvider({
      resource,
      readers: [
        new PeriodicExportingMetricReader({
          exporter,
          exportIntervalMillis: METRIC_EXPORT_MS,
        }),
      ],
    });

    const meter = meterProvider.getMeter('tms-traffic-generator');
    const business = new BusinessInstruments(
      meter,
      name === 'auth-service' ? () => this.activeUsers(region) : undefined,
    );
    return { meterProvider, business };
  }
}

/** Picks an item by its weight, or uniformly when items have none. */
function pick<T>(items: readonly T[], random: () => number): T {
  const weights = items.map(item =>
    typeof item === 'object' && item && 'weight' in item
      ? (item as { weight: number }).weight
      : 1,
  );
  let point = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) {
    point -= weights[i];
    if (point < 0) {
      return items[i];
    }
  }
  return items[items.length - 1];
}
