import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { jsonBody } from '@internal/portal-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  zeroTrustBlockDeletePermission,
  zeroTrustPolicyUpdatePermission,
} from './permissions';
import { formatPath } from './policy/parsePolicyDocument';
import { AuditLog } from './services/AuditLog';
import { BlockService } from './services/BlockService';
import {
  ClientAddressResolver,
  normaliseAddress,
} from './services/ClientAddressResolver';
import { DecisionService } from './services/DecisionService';
import { PolicyService } from './services/PolicyService';
import { SecurityEventSender } from './services/SecurityEventSender';
import { SessionService } from './services/SessionService';
import { ThreatDetector } from './services/ThreatDetector';

const name = z.string().min(1).max(320);
const address = z.string().max(64);

const decisionRequest = z
  .object({
    subject: z
      .object({
        user: name.optional(),
        roles: z.array(name).max(100).optional(),
        groups: z.array(name).max(500).optional(),
        mfa: z.boolean().optional(),
        deviceId: z.string().min(1).max(255).optional(),
        deviceTrusted: z.boolean().optional(),
        sessionId: z.string().min(1).max(64).optional(),
      })
      .strict()
      .default({}),
    resource: z
      .object({
        type: name.optional(),
        service: name.optional(),
        path: z.string().max(2048).optional(),
        sensitivity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
      })
      .strict()
      .default({}),
    action: z.string().min(1).max(255),
    context: z
      .object({
        clientAddress: address.optional(),
        country: z.string().min(2).max(8).optional(),
        region: z.string().min(1).max(64).optional(),
        latitude: z.number().min(-90).max(90).optional(),
        longitude: z.number().min(-180).max(180).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

const batchRequest = z
  .object({
    requests: z.array(decisionRequest).min(1).max(1000),
    explain: z.boolean().default(false),
  })
  .strict();

const loginReport = z
  .object({
    user: name,
    outcome: z.enum(['succeeded', 'failed']),
    clientAddress: address.optional(),
    deviceId: z.string().min(1).max(255).optional(),
    country: z.string().min(2).max(8).optional(),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
  })
  .strict();

const policyUpdate = z
  .object({ document: z.unknown(), comment: z.string().max(1000).optional() })
  .strict();

const dryRunRequest = z
  .object({
    document: z.unknown(),
    sinceMinutes: z
      .number()
      .positive()
      .max(7 * 24 * 60)
      .default(60),
    limit: z.number().int().positive().max(100_000).default(10_000),
  })
  .strict();

const sessionCreate = z
  .object({
    user: name,
    mfa: z.boolean().default(false),
    deviceId: z.string().min(1).max(255).optional(),
    clientAddress: address.optional(),
  })
  .strict();

const auditQuery = z
  .object({
    afterSeq: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = formatPath(issue.path) || what;
    throw new InputError(`Invalid ${field}: ${issue.message}`);
  }
  return parsed.data;
}

/** A true/false query parameter; anything else is named in a 400. */
function flag(value: unknown, parameter: string, fallback: boolean) {
  if (value === undefined) {
    return fallback;
  }
  if (value === 'true' || value === 'false') {
    return value === 'true';
  }
  throw new InputError(
    `Query parameter '${parameter}' must be true or false, not '${String(
      value,
    )}'`,
  );
}

function principalName(credentials: BackstageCredentials) {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  addresses: ClientAddressResolver;
  decisions: DecisionService;
  detector: ThreatDetector;
  blocks: BlockService;
  policies: PolicyService;
  sessions: SessionService;
  audit: AuditLog;
  events: SecurityEventSender;
}): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    addresses,
    decisions,
    detector,
    blocks,
    policies,
    sessions,
    audit,
    events,
  } = options;
  const router = Router();
  router.use(jsonBody({ limit: '2mb' }));

  // An address named in the body is what an authenticated caller (the
  // gateway, auth-service) saw; otherwise it is read from this request.
  const clientAddress = (req: express.Request, named?: string) => {
    if (named !== undefined) {
      const normalised = normaliseAddress(named);
      if (!normalised) {
        throw new InputError(`'${named}' is not an IP address`);
      }
      return normalised;
    }
    return addresses.resolve(
      req.socket.remoteAddress,
      req.header('x-forwarded-for'),
    );
  };

  const authorize = async (
    req: express.Request,
    permission: BasicPermission,
  ) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${principalName(credentials)} may not ${permission.name}`,
      );
    }
    return credentials;
  };

  router.get('/health', (_req, res) => {
    const sender = events.health;
    res.json({
      status:
        sender.healthy && !policies.health.fileProblem ? 'ok' : 'degraded',
      policies: policies.health,
      events: sender,
      audit: audit.health,
    });
  });

  router.post('/decisions', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const body = parse(decisionRequest, req.body, 'decision request');
    res.json(
      await decisions.decide(
        body,
        clientAddress(req, body.context.clientAddress),
        {
          explain: flag(req.query.explain, 'explain', true),
          dryRun: flag(req.query.dryRun, 'dryRun', false),
        },
      ),
    );
  });

  router.post('/decisions/batch', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const body = parse(batchRequest, req.body, 'batch');
    const dryRun = flag(req.query.dryRun, 'dryRun', false);
    const results = [];
    for (const request of body.requests) {
      results.push(
        await decisions.decide(
          request,
          clientAddress(req, request.context.clientAddress),
          { explain: body.explain, dryRun },
        ),
      );
    }
    res.json({ decisions: results });
  });

  router.post('/logins', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const body = parse(loginReport, req.body, 'login');
    const client = clientAddress(req, body.clientAddress);
    if (!client) {
      throw new InputError('The login has no client address');
    }
    const verdict = await detector.recordLogin({
      clientAddress: client,
      userName: body.user,
      outcome: body.outcome,
      atMs: Date.now(),
      deviceId: body.deviceId,
      country: body.country,
      latitude: body.latitude,
      longitude: body.longitude,
    });
    res.status(201).json(verdict);
  });

  router.get('/blocks', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ blocks: await blocks.list() });
  });

  router.delete('/blocks/:address', async (req, res) => {
    const credentials = await authorize(req, zeroTrustBlockDeletePermission);
    const target = normaliseAddress(req.params.address);
    if (!target) {
      throw new InputError(`'${req.params.address}' is not an IP address`);
    }
    res.json(await blocks.unblock(target, principalName(credentials)));
  });

  router.get('/policies', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const current = policies.current;
    if (current.version === 0) {
      res.json({ version: 0, document: { policies: [] } });
      return;
    }
    res.json(await policies.version(current.version));
  });

  router.get('/policies/versions', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ versions: await policies.versions(100) });
  });

  router.get('/policies/versions/:version', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const version = Number(req.params.version);
    if (!Number.isInteger(version) || version < 1) {
      throw new InputError(`'${req.params.version}' is not a version number`);
    }
    res.json(await policies.version(version));
  });

  router.put('/policies', async (req, res) => {
    const credentials = await authorize(req, zeroTrustPolicyUpdatePermission);
    const body = parse(policyUpdate, req.body, 'policy update');
    const version = await policies.update(
      body.document,
      principalName(credentials),
      body.comment,
    );
    res.status(201).json({ version });
  });

  router.post('/policies/validate', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const problems = policies.validate(req.body?.document);
    res.json({ valid: problems.length === 0, problems });
  });

  router.post('/policies/dry-run', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const body = parse(dryRunRequest, req.body, 'dry run');
    res.json(
      await policies.dryRun(body.document, {
        sinceMs: Date.now() - body.sinceMinutes * 60_000,
        limit: body.limit,
      }),
    );
  });

  router.post('/sessions', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const body = parse(sessionCreate, req.body, 'session');
    res.status(201).json(
      await sessions.create({
        userName: body.user,
        mfa: body.mfa,
        deviceId: body.deviceId,
        clientAddress: clientAddress(req, body.clientAddress),
      }),
    );
  });

  router.get('/sessions/:id', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json(await sessions.lookup(req.params.id));
  });

  router.post('/sessions/:id/refresh', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json(await sessions.refresh(req.params.id));
  });

  router.delete('/sessions/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await sessions.revoke(req.params.id, principalName(credentials)));
  });

  router.get('/audit', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const query = parse(auditQuery, req.query, 'audit query');
    // What this replica has queued is written first, so a caller reads
    // its own changes.
    await audit.flush();
    res.json({ entries: await audit.list(query) });
  });

  router.get('/audit/verify', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    await audit.flush();
    res.json(await audit.verify());
  });

  return router;
}
