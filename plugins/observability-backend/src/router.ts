import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import getRawBody from 'raw-body';
import { z } from 'zod';
import {
  ExportRequest,
  ExportResponse,
  OtlpReceiver,
} from './services/OtlpReceiver';
import {
  SEVERITIES,
  TelemetryQueryService,
} from './services/TelemetryQueryService';
import { TelemetryStore } from './database/TelemetryStore';
import { EngineMetrics } from './services/EngineMetrics';
import { PerformanceService } from './services/PerformanceService';
import { BusinessMetricsService } from './services/BusinessMetricsService';
import { MetricStore } from './database/MetricStore';
import { SecurityDashboardService } from './services/SecurityDashboardService';
import { ALERTS_PATH, readOpenApiDocument } from './schema/openapi';
import { resolveWindow } from './services/window';
import { CallerPolicy } from './services/CallerPolicy';
import { IngestLimiter, IngestOverloadedError } from './services/IngestLimiter';

/** The validator hands over the path with the plugin's mount in front. */
const OTLP_EXPORT_PATH = /\/v1\/(traces|logs|metrics)$/;

const ERROR_STATUS: Record<string, number> = {
  IngestOverloadedError: 429,
  PayloadTooLargeError: 413,
  UnsupportedMediaTypeError: 415,
};

/**
 * A query with a `from` and a `to`: a window that ends before it starts is
 * refused, on every route alike.
 */
function windowed<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({
      ...shape,
      from: z.string().datetime({ offset: true }).optional(),
      to: z.string().datetime({ offset: true }).optional(),
    })
    .strict()
    .refine(
      query => {
        const { from, to } = query as { from?: string; to?: string };
        return !from || !to || Date.parse(from) < Date.parse(to);
      },
      { message: 'from must be before to', path: ['from'] },
    );
}

const traceSearchQuery = windowed({
  service: z.string().min(1).max(255).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const traceIdParam = z.string().regex(/^[0-9a-fA-F]{32}$/, {
  message: 'a trace id is 32 hex digits',
});

const windowQuery = windowed({});

const regionParam = z.string().min(1).max(64);

const businessQuery = windowed({ region: regionParam.optional() });

const metricPointQuery = windowed({
  name: z.string().min(1).max(255).optional(),
  service: z.string().min(1).max(255).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const logSearchQuery = windowed({
  service: z.string().min(1).max(255).optional(),
  severity: z
    .enum(Object.keys(SEVERITIES) as [keyof typeof SEVERITIES])
    .optional(),
  query: z.string().min(1).max(500).optional(),
  traceId: traceIdParam.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(100).optional(),
});

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string) {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || what;
    throw new InputError(`Invalid ${field}: ${issue.message}`);
  }
  return parsed.data;
}

/** Bounds on what one query may ask for. */
export interface QueryLimits {
  maxPageSize: number;
  maxQueryWindowDays: number;
}

/**
 * Refuses a page larger than observability.query.maxPageSize and a window
 * longer than observability.query.maxWindowDays. A window with only `from`
 * runs up to now; one without `from` is the route's default, within bounds.
 */
function checkQueryLimits(
  query: { from?: string; to?: string; limit?: number },
  limits: QueryLimits,
) {
  if (query.limit !== undefined && query.limit > limits.maxPageSize) {
    throw new InputError(
      `Invalid limit: ${query.limit} is over ` +
        `observability.query.maxPageSize (${limits.maxPageSize})`,
    );
  }
  if (query.from) {
    const fromMs = Date.parse(query.from);
    const toMs = query.to ? Date.parse(query.to) : Date.now();
    const days = (toMs - fromMs) / 86_400_000;
    if (days > limits.maxQueryWindowDays) {
      throw new InputError(
        `Invalid from: the window from ${query.from} is ${Math.ceil(days)} ` +
          `days long, over observability.query.maxWindowDays ` +
          `(${limits.maxQueryWindowDays})`,
      );
    }
  }
}

function toWindow(query: { from?: string; to?: string }) {
  return {
    fromMs: query.from ? Date.parse(query.from) : undefined,
    toMs: query.to ? Date.parse(query.to) : undefined,
  };
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  receiver: OtlpReceiver;
  queries: TelemetryQueryService;
  performance: PerformanceService;
  store: TelemetryStore;
  metrics: EngineMetrics;
  metricStore: MetricStore;
  business: BusinessMetricsService;
  security: SecurityDashboardService;
  ingestLimiter: IngestLimiter;
  callers?: CallerPolicy;
  maxBodyBytes: number;
  queryLimits?: QueryLimits;
  /** More fields for /health, from parts such as alerting. */
  health?: () => Promise<Record<string, unknown>>;
}): Promise<express.Router> {
  const {
    httpAuth,
    receiver,
    queries,
    performance,
    store,
    metrics,
    metricStore,
    business,
    security,
    ingestLimiter,
    callers = CallerPolicy.create({}),
    maxBodyBytes,
  } = options;

  // Users and the services the caller policy lets read.
  const reader = async (req: express.Request) =>
    callers.check(
      await httpAuth.credentials(req, { allow: ['user', 'service'] }),
      'read',
    );

  const queryLimits = options.queryLimits ?? {
    maxPageSize: 1000,
    maxQueryWindowDays: Infinity,
  };
  const readQuery = <T extends { from?: string; to?: string; limit?: number }>(
    schema: z.ZodType<T>,
    req: express.Request,
  ) => {
    const parsed = parseOrThrow(schema, req.query, 'query');
    // The validator fills in the document's default limit; only a limit
    // the caller asked for is refused, a default is brought within bounds.
    const asked = new URL(req.originalUrl, 'http://engine').searchParams;
    if (!asked.has('limit') && parsed.limit !== undefined) {
      parsed.limit = Math.min(parsed.limit, queryLimits.maxPageSize);
    }
    checkQueryLimits(parsed, queryLimits);
    return parsed;
  };

  // Every request is checked against the OpenAPI document first; a
  // request that breaks it is a 400 naming the problem. The OTLP routes
  // are left to the OTLP reader, which reads their bodies as sent (the
  // validator can read neither protobuf nor gzip) and answers 413 and 415
  // as OTLP clients expect; hence also no body parser.
  const router = createValidatedOpenApiRouter(readOpenApiDocument(), {
    middleware: [(_req, _res, next) => next()],
    // Credentials are Backstage's to check (httpAuth and the auth policy
    // of unauthenticatedPaths), not the validator's.
    validatorOptions: {
      ignorePaths: (path: string) =>
        OTLP_EXPORT_PATH.test(path) || ALERTS_PATH.test(path),
      validateSecurity: false,
    },
  });

  // The bytes as sent, in either encoding and still compressed: the
  // receiver decodes them, so that it can bound decompression too.
  const exportRoute =
    (receive: (request: ExportRequest) => Promise<ExportResponse>) =>
    async (req: express.Request, res: express.Response) => {
      callers.check(
        await httpAuth.credentials(req, { allow: ['service'] }),
        'ingest',
      );

      // Admitted before the body is read: a refused export costs neither
      // memory nor the database. A body of unknown length may be as large
      // as the limit allows.
      const declared = Number(req.header('content-length'));
      const release = ingestLimiter.admit(
        Number.isInteger(declared) && declared >= 0
          ? Math.min(declared, maxBodyBytes)
          : maxBodyBytes,
      );
      try {
        const response = await receive({
          contentType: req.header('content-type'),
          contentEncoding: req.header('content-encoding'),
          body: await getRawBody(req, { limit: maxBodyBytes }),
        });
        res.status(200).type(response.contentType).send(response.body);
      } finally {
        release();
      }
    };

  router.post(
    '/v1/traces',
    exportRoute(request => receiver.exportTraces(request)),
  );
  router.post(
    '/v1/logs',
    exportRoute(request => receiver.exportLogs(request)),
  );

  router.post(
    '/v1/metrics',
    exportRoute(request => receiver.exportMetrics(request)),
  );

  router.get('/logs', async (req, res) => {
    await reader(req);
    const query = readQuery(logSearchQuery, req);

    const page = await queries.searchLogs({
      service: query.service,
      severity: query.severity,
      text: query.query,
      traceId: query.traceId,
      fromMs: query.from ? Date.parse(query.from) : undefined,
      toMs: query.to ? Date.parse(query.to) : undefined,
      limit: query.limit,
      cursor: query.cursor,
    });
    res.json(page);
  });

  router.get('/traces', async (req, res) => {
    await reader(req);
    const query = readQuery(traceSearchQuery, req);

    const found = await queries.searchTraces({
      service: query.service,
      fromMs: query.from ? Date.parse(query.from) : undefined,
      toMs: query.to ? Date.parse(query.to) : undefined,
      limit: query.limit,
    });
    res.json({ traces: found });
  });

  router.get('/traces/:traceId', async (req, res) => {
    await reader(req);
    const traceId = parseOrThrow(
      traceIdParam,
      (req.params as Record<string, string>).traceId,
      'traceId',
    );

    res.json(await queries.getTrace(traceId));
  });

  router.get('/performance/overview', async (req, res) => {
    await reader(req);
    const query = readQuery(windowQuery, req);

    res.json(await performance.overview(toWindow(query)));
  });

  router.get('/service-graph', async (req, res) => {
    await reader(req);
    const query = readQuery(windowQuery, req);

    res.json(await performance.serviceGraph(toWindow(query)));
  });

  router.get('/metrics/points', async (req, res) => {
    await reader(req);
    const query = readQuery(metricPointQuery, req);

    const points = await metricStore.searchPoints({
      name: query.name,
      service: query.service,
      ...resolveWindow(toWindow(query)),
      limit: query.limit ?? 100,
    });
    res.json({ points });
  });

  router.get('/business/metrics', async (req, res) => {
    await reader(req);
    const query = readQuery(businessQuery, req);

    res.json(await business.kpis({ ...toWindow(query), region: query.region }));
  });

  router.get('/security/dashboard', async (req, res) => {
    await reader(req);
    const query = readQuery(windowQuery, req);

    res.json(await security.dashboard(toWindow(query)));
  });

  router.get('/metrics', async (req, res) => {
    await httpAuth.credentials(req, {
      allow: ['user', 'service', 'none'],
    });

    const { contentType, body } = await metrics.exposition();
    res.type(contentType).send(body);
  });

  router.get('/health', async (_req, res) => {
    try {
      await store.ping();
      res.json({
        status: 'ok',
        database: 'ok',
        ...(await options.health?.()),
      });
    } catch {
      res.status(503).json({ status: 'down', database: 'unreachable' });
    }
  });

  // Statuses that Backstage's error handler does not know: a body over the
  // limit (from the receiver or from reading it) and an unsupported type.
  router.use(
    (
      error: Error & { type?: string },
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      const status =
        ERROR_STATUS[error.name] ??
        (error.type === 'entity.too.large' ? 413 : undefined);
      if (!status) {
        next(error);
        return;
      }
      if (error instanceof IngestOverloadedError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      res.status(status).json({
        error: { name: error.name, message: error.message },
        response: { statusCode: status },
      });
    },
  );

  return router;
}
