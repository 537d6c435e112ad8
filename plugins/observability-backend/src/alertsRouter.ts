import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { jsonBody } from '@internal/portal-node';
import express from 'express';
import { z } from 'zod';
import { AlertService } from './alerts/AlertService';
import { ALERT_STATES, SEVERITIES } from './alerts/types';
import { KpiSloService } from './slos/KpiSloService';
import { SloService } from './slos/SloService';
import { ALERTS_PATH, readOpenApiDocument } from './schema/openapi';

const DAY_MS = 86_400_000;

const alertListQuery = z
  .object({
    state: z.enum(ALERT_STATES as [string, ...string[]]).optional(),
    severity: z.enum(SEVERITIES as [string, ...string[]]).optional(),
    service: z.string().min(1).max(255).optional(),
    region: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    offset: z.coerce.number().int().min(0).optional(),
  })
  .strict();

const historyQuery = z
  .object({
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

const alertIdParam = z.string().regex(/^[0-9a-f]{32}$/, {
  message: 'an alert id is 32 lower-case hex digits',
});

const acknowledgeBody = z
  .object({ comment: z.string().max(2000).optional() })
  .strict();

const resolveBody = z.object({ reason: z.string().min(1).max(2000) }).strict();

const silenceBody = z
  .object({
    matchers: z
      .array(
        z
          .object({
            name: z.string().min(1).max(255),
            value: z.string().max(1024),
            isRegex: z.boolean().optional(),
          })
          .strict(),
      )
      .min(1),
    comment: z.string().min(1).max(2000),
    startsAt: z.string().datetime({ offset: true }).optional(),
    endsAt: z.string().datetime({ offset: true }).optional(),
    duration: z.string().optional(),
  })
  .strict();

/** The `{id}` of a path; the document-typed router does not name it. */
function idOf(req: { params: unknown }) {
  return (req.params as Record<string, string>).id;
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string) {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || what;
    throw new InputError(`Invalid ${field}: ${issue.message}`);
  }
  return parsed.data;
}

/** The HTTP face of alerts, silences, alert rules and SLOs. */
export function createAlertsRouter(options: {
  httpAuth: HttpAuthService;
  alerts: AlertService;
  slos: SloService;
  kpiSlos?: KpiSloService;
}): express.Router {
  const { httpAuth, alerts, slos, kpiSlos } = options;
  // Checked against the engine's one OpenAPI document, like the other
  // routes; the zod schemas below add the messages that name a rule's
  // field. Bodies are read in front of it (at the end): the validator
  // would turn the 413 and 415 of reading them into 400s.
  const router = createValidatedOpenApiRouter(readOpenApiDocument(), {
    middleware: [(_req, _res, next) => next()],
    validatorOptions: {
      ignorePaths: (path: string) => !ALERTS_PATH.test(path),
      validateSecurity: false,
    },
  });

  const reader = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const actor = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get('/alerts', async (req, res) => {
    await reader(req);
    const query = parseOrThrow(alertListQuery, req.query, 'query');
    res.json(
      await alerts.list({
        state: query.state as any,
        severity: query.severity as any,
        service: query.service,
        region: query.region,
        limit: query.limit ?? 50,
        offset: query.offset ?? 0,
      }),
    );
  });

  router.get('/alerts/groups', async (req, res) => {
    await reader(req);
    res.json(await alerts.groups());
  });

  router.get('/alerts/history', async (req, res) => {
    await reader(req);
    const query = parseOrThrow(historyQuery, req.query, 'query');
    const toMs = query.to ? Date.parse(query.to) : Date.now();
    const fromMs = query.from ? Date.parse(query.from) : toMs - 30 * DAY_MS;
    if (!(fromMs < toMs)) {
      throw new InputError(`Invalid from: '${query.from}' is not before to`);
    }
    res.json(await alerts.history({ fromMs, toMs }));
  });

  router.get('/alerts/:id', async (req, res) => {
    await reader(req);
    res.json(await alerts.get(parseOrThrow(alertIdParam, idOf(req), 'id')));
  });

  router.post('/alerts/:id/acknowledge', async (req, res) => {
    const credentials = await actor(req);
    const id = parseOrThrow(alertIdParam, idOf(req), 'id');
    const body = parseOrThrow(acknowledgeBody, req.body ?? {}, 'body');
    res.json(await alerts.acknowledge(id, body.comment, credentials));
  });

  router.post('/alerts/:id/resolve', async (req, res) => {
    const credentials = await actor(req);
    const id = parseOrThrow(alertIdParam, idOf(req), 'id');
    const body = parseOrThrow(resolveBody, req.body ?? {}, 'body');
    res.json(await alerts.resolve(id, body.reason, credentials));
  });

  router.get('/silences', async (req, res) => {
    await reader(req);
    res.json(await alerts.listSilences());
  });

  router.post('/silences', async (req, res) => {
    const credentials = await actor(req);
    const body = parseOrThrow(silenceBody, req.body ?? {}, 'body');
    res.status(201).json(await alerts.createSilence(body, credentials));
  });

  router.get('/silences/:id', async (req, res) => {
    await reader(req);
    res.json(await alerts.getSilence(idOf(req)));
  });

  // A silence is never deleted, only ended, so that history keeps it.
  router.delete('/silences/:id', async (req, res) => {
    const credentials = await actor(req);
    res.json(await alerts.expireSilence(idOf(req), credentials));
  });

  router.get('/alert-rules', async (req, res) => {
    await reader(req);
    res.json({ rules: await alerts.rules.list() });
  });

  router.post('/alert-rules', async (req, res) => {
    const credentials = await actor(req);
    res.status(201).json(await alerts.createRule(req.body, credentials));
  });

  router.get('/alert-rules/:id', async (req, res) => {
    await reader(req);
    res.json(await alerts.rules.get(idOf(req)));
  });

  router.put('/alert-rules/:id', async (req, res) => {
    const credentials = await actor(req);
    res.json(await alerts.updateRule(idOf(req), req.body, credentials));
  });

  router.delete('/alert-rules/:id', async (req, res) => {
    const credentials = await actor(req);
    await alerts.deleteRule(idOf(req), credentials);
    res.status(204).end();
  });

  router.get('/slos', async (req, res) => {
    await reader(req);
    const nowMs = Date.now();
    const [services, kpis] = await Promise.all([
      slos.list(nowMs),
      kpiSlos ? kpiSlos.list(nowMs) : [],
    ]);
    res.json({ slos: services, businessKpiSlos: kpis });
  });

  router.get('/slos/:id', async (req, res) => {
    await reader(req);
    const id = idOf(req);
    if (kpiSlos && id.startsWith('kpi:')) {
      res.json(await kpiSlos.get(id));
      return;
    }
    res.json(await slos.get(id));
  });

  // Bodies are parsed on these paths only: OTLP ingest's bodies must reach
  // the receiver unread.
  const parseJson = jsonBody({ limit: '1mb' });
  return express.Router().use((req, res, next) => {
    if (!ALERTS_PATH.test(req.path)) {
      next();
      return;
    }
    parseJson(req, res, error => {
      // A POST without a body (acknowledge's comment is optional) is
      // read as {}; the OpenAPI validator after this goes by the
      // Content-Type, so it is told the same.
      if (!error && req.method === 'POST' && !req.headers['content-type']) {
        req.headers['content-type'] = 'application/json';
      }
      next(error);
    });
  }, router);
}
