import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { jsonBody } from '@internal/portal-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { RegionService } from './services/RegionService';
import { RegionSimulation } from './services/RegionSimulation';
import { RoutingService } from './services/RoutingService';
import { RolloutService } from './services/RolloutService';
import { WhatIfService } from './services/WhatIfService';

const MAX_BATCH = 10_000;

// Strict: a misspelt key (`?IP=` or `{ "donw": [...] }`) is refused with
// its name rather than quietly answering as if it were not there.
const routeQuery = z
  .object({
    ip: z.string().min(1),
    xForwardedFor: z.string().optional(),
  })
  .strict();

const routeBatch = z
  .object({
    requests: z
      .array(
        z
          .object({ ip: z.string(), xForwardedFor: z.string().optional() })
          .strict(),
      )
      .min(1)
      .max(MAX_BATCH),
  })
  .strict();

const whatIfBody = z.object({ down: z.array(z.string()).min(1) }).strict();

/** For the routes that take no query parameters at all. */
const noQuery = z.object({}).strict();

const historyQuery = z
  .object({
    history: z.coerce.number().int().min(0).max(1000).default(60),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(
      `invalid ${what}: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  return result.data;
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  regions: RegionService;
  routing: RoutingService;
  rollouts: RolloutService;
  whatIf: WhatIfService;
  rateLimits: () => Promise<unknown>;
  simulation?: RegionSimulation;
  regionIds: string[];
}): Promise<express.Router> {
  const { httpAuth, regions, routing, rollouts, whatIf, simulation } = options;
  const router = Router();
  router.use(jsonBody({ limit: '2mb' }));

  const authenticated = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/regions', async (req, res) => {
    await authenticated(req);
    parse(noQuery, req.query, 'query');
    res.json({ regions: await regions.list() });
  });

  router.get('/regions/:id', async (req, res) => {
    await authenticated(req);
    const query = parse(historyQuery, req.query, 'query');
    res.json(await regions.get(req.params.id, query.history));
  });

  router.get('/route', async (req, res) => {
    await authenticated(req);
    const query = parse(routeQuery, req.query, 'query');
    res.json(await routing.route(query.ip, query.xForwardedFor));
  });

  router.post('/route', async (req, res) => {
    await authenticated(req);
    const body = parse(routeBatch, req.body, 'body');
    res.json({ decisions: await routing.routeMany(body.requests) });
  });

  router.get('/rate-limits', async (req, res) => {
    await authenticated(req);
    parse(noQuery, req.query, 'query');
    res.json(await options.rateLimits());
  });

  router.get('/rollouts', async (req, res) => {
    await authenticated(req);
    parse(noQuery, req.query, 'query');
    res.json(await rollouts.status());
  });

  router.post('/failover/what-if', async (req, res) => {
    await authenticated(req);
    const body = parse(whatIfBody, req.body, 'body');
    res.json(await whatIf.failover(body.down));
  });

  if (simulation) {
    // The embedded default's stand-in for each region's health endpoint.
    router.get('/simulation/:region/health', async (req, res) => {
      if (!options.regionIds.includes(req.params.region)) {
        throw new NotFoundError(`no region '${req.params.region}'`);
      }
      const health = simulation.health(req.params.region);
      res.status(health.httpStatus).json(health);
    });
  }

  return router;
}
