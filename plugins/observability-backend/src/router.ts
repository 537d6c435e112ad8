import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import getRawBody from 'raw-body';
import { z } from 'zod';
import { OtlpReceiver } from './services/OtlpReceiver';
import { TraceQueryService } from './services/TraceQueryService';
import { TelemetryStore } from './database/TelemetryStore';

const ERROR_STATUS: Record<string, number> = {
  PayloadTooLargeError: 413,
  UnsupportedMediaTypeError: 415,
};

const traceSearchQuery = z
  .object({
    service: z.string().min(1).max(255).optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict();

const traceIdParam = z.string().regex(/^[0-9a-fA-F]{32}$/, {
  message: 'a trace id is 32 hex digits',
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

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  receiver: OtlpReceiver;
  traces: TraceQueryService;
  store: TelemetryStore;
  maxBodyBytes: number;
}): Promise<express.Router> {
  const { httpAuth, receiver, traces, store, maxBodyBytes } = options;
  const router = Router();

  router.post('/v1/traces', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });

    // The bytes as sent, in either encoding and still compressed: the
    // receiver decodes them, so that it can bound decompression too.
    const body = await getRawBody(req, { limit: maxBodyBytes });
    const response = await receiver.exportTraces({
      contentType: req.header('content-type'),
      contentEncoding: req.header('content-encoding'),
      body,
    });
    res.status(200).type(response.contentType).send(response.body);
  });

  router.get('/traces', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const query = parseOrThrow(traceSearchQuery, req.query, 'query');

    const found = await traces.searchTraces({
      service: query.service,
      fromMs: query.from ? Date.parse(query.from) : undefined,
      toMs: query.to ? Date.parse(query.to) : undefined,
      limit: query.limit,
    });
    res.json({ traces: found });
  });

  router.get('/traces/:traceId', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const traceId = parseOrThrow(traceIdParam, req.params.traceId, 'traceId');

    res.json(await traces.getTrace(traceId));
  });

  router.get('/health', async (_req, res) => {
    try {
      await store.ping();
      res.json({ status: 'ok', database: 'ok' });
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
      res.status(status).json({
        error: { name: error.name, message: error.message },
        response: { statusCode: status },
      });
    },
  );

  return router;
}
