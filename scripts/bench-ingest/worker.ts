/*
 * The child processes of `yarn bench:ingest` (scripts/bench-ingest.mjs),
 * run with Backstage's TypeScript transform. Each mode runs in a process of
 * its own, so that one measurement's memory and JIT state do not leak into
 * the next:
 *
 *   generate <dir> <exports>   OTLP exports from the traffic generator,
 *                              in both encodings, written to <dir>
 *   throughput <db> <signal> <encoding> <dir>
 *                              decode-only and stored rates through the
 *                              OtlpReceiver service, called directly
 *   serve <db>                 the observability plugin in a Backstage
 *                              backend on a free port, for the HTTP run
 *
 * <db> is a JSON object: the `backend.database` config to run on.
 */
import { ConfigReader } from '@backstage/config';
import {
  DatabaseManager,
  databaseServiceFactory,
} from '@backstage/backend-defaults/database';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { TrafficGenerator } from '../../plugins/observability-backend-module-traffic-generator/src/TrafficGenerator';
import { observabilityPlugin } from '../../plugins/observability-backend/src/plugin';
import { DatabaseTelemetryStore } from '../../plugins/observability-backend/src/database/DatabaseTelemetryStore';
import { DatabaseMetricStore } from '../../plugins/observability-backend/src/database/DatabaseMetricStore';
import { MetricStore } from '../../plugins/observability-backend/src/database/MetricStore';
import { TelemetryStore } from '../../plugins/observability-backend/src/database/TelemetryStore';
import {
  ExportLogsServiceRequest,
  ExportMetricsServiceRequest,
  ExportTraceServiceRequest,
} from '../../plugins/observability-backend/src/otlp/protobuf';
import { EngineMetrics } from '../../plugins/observability-backend/src/services/EngineMetrics';
import {
  ExportRequest,
  OtlpReceiver,
} from '../../plugins/observability-backend/src/services/OtlpReceiver';

type Encoding = 'json' | 'protobuf';
type Signal = 'traces' | 'logs' | 'metrics';

const REQUEST_TYPES = {
  traces: ExportTraceServiceRequest,
  logs: ExportLogsServiceRequest,
  metrics: ExportMetricsServiceRequest,
};

const CONTENT_TYPE: Record<Encoding, string> = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
};

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Reports to the parent; resolves once the message has left. */
function send(message: object) {
  return new Promise<void>(resolve => {
    if (process.send) {
      process.send(message, undefined, {}, () => resolve());
    } else {
      process.stdout.write(`${JSON.stringify(message)}\n`, () => resolve());
    }
  });
}

function peakRssBytes() {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)![1]) * 1024;
}

/**
 * Captures what the traffic generator exports: a receiver that keeps the
 * bodies and answers every export with an empty OTLP success.
 */
async function capture(encoding: Encoding, spanExports: number) {
  const bodies: Record<Signal, Buffer[]> = {
    traces: [],
    logs: [],
    metrics: [],
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const signal = /\/v1\/(traces|logs|metrics)$/.exec(
        req.url!,
      )![1] as Signal;
      bodies[signal].push(Buffer.concat(chunks));
      res.writeHead(200, { 'Content-Type': CONTENT_TYPE[encoding] });
      res.end(encoding === 'json' ? '{}' : '');
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const generator = TrafficGenerator.create({
    endpoint: `http://127.0.0.1:${port}`,
    encoding,
    headers: async () => ({}),
    requestsPerSecond: 400,
    scenarios: ['steady'],
    // Fixed, so that every run of the benchmark sends the same telemetry.
    random: seededRandom(42),
  });

  // Synthetic time, a tick at a time, with a pause for the batch
  // processors to export: their queues hold 2,048 items and drop the rest,
  // and the exporters refuse more than a few exports in flight.
  let now = Date.UTC(2026, 11, 3, 12);
  while (bodies.traces.length < spanExports) {
    generator.tick(now);
    now += 250;
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  // The batch processors send what they hold after a second of their own.
  // Flushing all 33 services' processors at once in stop() runs into the
  // shared exporters' limit of exports in flight; what that loses is only
  // partial batches, which the benchmark does not use. The meter providers
  // export their points when stop() shuts them down.
  await new Promise(resolve => setTimeout(resolve, 1500));
  try {
    await generator.stop();
  } catch (error) {
    process.stderr.write(`traffic generator stop: ${error}\n`);
  }
  await new Promise(resolve => setTimeout(resolve, 500));
  server.close();
  return bodies;
}

/** A small deterministic generator (mulberry32). */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A copy of an export whose trace ids (and so span and log keys) are new:
 * the first four bytes of every trace id are replaced by the copy's number,
 * which keeps the structure, sizes and attributes of the original.
 */
function variant(
  signal: Signal,
  encoding: Encoding,
  body: Buffer,
  n: number,
): Buffer {
  const prefix = (n + 1).toString(16).padStart(8, '0');
  const renumber = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      return value.map(renumber);
    }
    if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
      const object = value as Record<string, unknown>;
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(object)) {
        if (key === 'traceId' && typeof item === 'string' && item) {
          copy[key] = prefix + item.slice(8);
        } else if (key === 'traceId' && item instanceof Uint8Array) {
          const id = Buffer.from(item);
          id.write(prefix, 0, 'hex');
          copy[key] = id;
        } else {
          copy[key] = renumber(item);
        }
      }
      return copy;
    }
    return value;
  };

  if (encoding === 'json') {
    return Buffer.from(JSON.stringify(renumber(JSON.parse(body.toString()))));
  }
  const type = REQUEST_TYPES[signal];
  const decoded = type.toObject(type.decode(body), { longs: String });
  return Buffer.from(
    type.encode(type.fromObject(renumber(decoded) as object)).finish(),
  );
}

/** The data points of every metric of an OTLP/JSON-shaped request. */
function metricPointLists(document: any): any[][] {
  const lists = [];
  for (const resource of document.resourceMetrics ?? []) {
    for (const scope of resource.scopeMetrics ?? []) {
      for (const metric of scope.metrics ?? []) {
        const data =
          metric.gauge ??
          metric.sum ??
          metric.histogram ??
          metric.exponentialHistogram ??
          metric.summary;
        if (data?.dataPoints) {
          lists.push(data.dataPoints);
        }
      }
    }
  }
  return lists;
}

/**
 * The traffic generator's metric exports carry a few dozen points: the
 * business series of one service. A service instrumented in full sends
 * hundreds (a histogram per route and status, say), so each export is
 * grown to about `wanted` points by repeating its series under one more
 * attribute, as more routes would.
 */
function enlargeMetrics(encoding: Encoding, body: Buffer, wanted: number) {
  const type = ExportMetricsServiceRequest;
  const document: any =
    encoding === 'json'
      ? JSON.parse(body.toString())
      : type.toObject(type.decode(body), { longs: String });
  const lists = metricPointLists(document);
  const points = lists.reduce((sum, list) => sum + list.length, 0);
  const copies = Math.max(1, Math.ceil(wanted / Math.max(points, 1)));
  for (const list of lists) {
    const originals = list.splice(0);
    for (let copy = 0; copy < copies; copy++) {
      for (const point of originals) {
        list.push({
          ...point,
          attributes: [
            ...(point.attributes ?? []),
            { key: 'tms.series', value: { intValue: copy } },
          ],
        });
      }
    }
  }
  return encoding === 'json'
    ? Buffer.from(JSON.stringify(document))
    : Buffer.from(type.encode(type.fromObject(document)).finish());
}

function countItems(signal: Signal, encoding: Encoding, body: Buffer) {
  const type = REQUEST_TYPES[signal];
  const document: any =
    encoding === 'json'
      ? JSON.parse(body.toString())
      : type.toObject(type.decode(body), { longs: String });
  if (signal === 'metrics') {
    return metricPointLists(document).reduce((sum, l) => sum + l.length, 0);
  }
  const [resources, scopes, items] =
    signal === 'traces'
      ? ['resourceSpans', 'scopeSpans', 'spans']
      : ['resourceLogs', 'scopeLogs', 'logRecords'];
  let count = 0;
  for (const resource of document[resources] ?? []) {
    for (const scope of resource[scopes] ?? []) {
      count += (scope[items] ?? []).length;
    }
  }
  return count;
}

async function generate(dir: string, wanted: number) {
  const summary: Record<string, unknown> = {};
  for (const encoding of ['json', 'protobuf'] as const) {
    const captured = await capture(encoding, Math.min(wanted, 40));
    captured.metrics = captured.metrics
      .filter(body => countItems('metrics', encoding, body) > 0)
      .map(body => enlargeMetrics(encoding, body, 512));
    for (const signal of ['traces', 'logs', 'metrics'] as const) {
      // Only full batches: the last, partial ones of each service are what
      // the flush at the end left over.
      const counts = captured[signal].map(b => countItems(signal, encoding, b));
      const full = captured[signal].filter((_, i) => counts[i] >= 512);
      const bases = full.length > 0 ? full : captured[signal];
      if (bases.length === 0) {
        throw new Error(`The traffic generator sent no ${signal}`);
      }
      const folder = join(dir, encoding, signal);
      mkdirSync(folder, { recursive: true });
      let items = 0;
      let bytes = 0;
      for (let n = 0; n < wanted; n++) {
        const body = variant(signal, encoding, bases[n % bases.length], n);
        items += countItems(signal, encoding, body);
        bytes += body.length;
        writeFileSync(join(folder, `${String(n).padStart(5, '0')}.bin`), body);
      }
      summary[`${encoding}/${signal}`] = {
        exports: wanted,
        items,
        meanBytes: Math.round(bytes / wanted),
        distinctBases: bases.length,
      };
    }
  }
  await send({ generated: summary });
}

function loadPayloads(dir: string, signal: Signal, encoding: Encoding) {
  const folder = join(dir, encoding, signal);
  return readdirSync(folder)
    .sort()
    .map(name => readFileSync(join(folder, name)));
}

/** Stores nothing: what the receiver costs before the database. */
const noStore = {
  insertSpans: async (spans: unknown[]) => spans,
  insertLogs: async (records: unknown[]) => records,
} as unknown as TelemetryStore;
const noMetricStore = {
  insertPoints: async () => {},
} as unknown as MetricStore;

// Only errors: the benchmark's output is its report.
const quietLogger = mockServices.rootLogger({ level: 'error' });

function databaseService(database: object) {
  const manager = DatabaseManager.fromConfig(
    new ConfigReader({ backend: { database } }),
  );
  return manager.forPlugin('observability', {
    logger: quietLogger,
    lifecycle: { addStartupHook() {}, addShutdownHook() {} },
  });
}

async function runExports(
  receiver: OtlpReceiver,
  signal: Signal,
  encoding: Encoding,
  payloads: Buffer[],
) {
  const exportOne = (body: Buffer) => {
    const request: ExportRequest = {
      contentType: CONTENT_TYPE[encoding],
      body,
    };
    if (signal === 'metrics') {
      return receiver.exportMetrics(request);
    }
    return signal === 'traces'
      ? receiver.exportTraces(request)
      : receiver.exportLogs(request);
  };
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (const body of payloads) {
    await exportOne(body);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

async function throughput(
  database: object,
  signal: Signal,
  encoding: Encoding,
  dir: string,
) {
  const payloads = loadPayloads(dir, signal, encoding);
  const items = payloads.reduce(
    (sum, body) => sum + countItems(signal, encoding, body),
    0,
  );
  const metrics = () => EngineMetrics.create({ maxRoutesPerService: 200 });
  const receiver = (store: TelemetryStore, metricStore: MetricStore) =>
    OtlpReceiver.create({
      store,
      metricStore,
      metrics: metrics(),
      logger: quietLogger,
      maxBodyBytes: MAX_BODY_BYTES,
    });

  // Decode-only first, twice: the first pass warms the JIT up.
  const decoder = receiver(noStore, noMetricStore);
  await runExports(decoder, signal, encoding, payloads);
  const decodeOnly = await runExports(decoder, signal, encoding, payloads);

  // The plugin's own stores on Backstage's database service, as in the
  // backend.
  const service = databaseService(database);
  const store = await DatabaseTelemetryStore.create({ database: service });
  const metricStore = await DatabaseMetricStore.create({ database: service });
  const stored = await runExports(
    receiver(store, metricStore),
    signal,
    encoding,
    payloads,
  );

  await send({
    items,
    exports: payloads.length,
    decodeOnly,
    stored,
    peakRssBytes: peakRssBytes(),
  });
}

async function serve(database: object) {
  const backend = await startTestBackend({
    features: [
      observabilityPlugin,
      databaseServiceFactory,
      mockServices.rootConfig.factory({
        data: { backend: { database } },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  // The histogram records the time between the sampler's timer ticks, so
  // an idle loop shows the interval itself; the delay is what exceeds it,
  // as tools such as @fastify/under-pressure count it.
  const resolutionMs = 10;
  const delay = monitorEventLoopDelay({ resolution: resolutionMs });
  const lateMs = (nanos: number) => Math.max(0, nanos / 1e6 - resolutionMs);
  let cpuAtStart = process.cpuUsage();
  let startedAt = 0;

  // start begins a measurement, sample ends it and reports, stop reports
  // and ends the process.
  const report = () => {
    delay.disable();
    const cpu = process.cpuUsage(cpuAtStart);
    return {
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      wallSeconds: (performance.now() - startedAt) / 1000,
      eventLoopDelayMs: {
        p50: lateMs(delay.percentile(50)),
        p99: lateMs(delay.percentile(99)),
        max: lateMs(delay.max),
      },
      peakRssBytes: peakRssBytes(),
    };
  };
  process.on('message', async (message: { command: string }) => {
    if (message.command === 'start') {
      delay.reset();
      delay.enable();
      cpuAtStart = process.cpuUsage();
      startedAt = performance.now();
      await send({ started: true });
    } else if (message.command === 'sample') {
      await send({ sample: report() });
    } else if (message.command === 'stop') {
      await send(report());
      await backend.stop();
      process.exit(0);
    }
  });
  await send({
    port,
    authorization: mockCredentials.service.header(),
  });
}

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'generate') {
    await generate(args[0], Number(args[1]));
  } else if (mode === 'throughput') {
    await throughput(
      JSON.parse(args[0]),
      args[1] as Signal,
      args[2] as Encoding,
      args[3],
    );
  } else if (mode === 'serve') {
    await serve(JSON.parse(args[0]));
    return;
  } else {
    throw new Error(`bench-ingest worker: no mode '${mode}'`);
  }
  process.exit(0);
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
