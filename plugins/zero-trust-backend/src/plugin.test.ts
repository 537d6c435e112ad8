import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
// The engine the events go to, to test the real OTLP path.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import observabilityPlugin from '@internal/backstage-plugin-observability-backend';
import { expectJsonBodyChecks } from '@internal/portal-node/testUtils';
import { resolve } from 'node:path';
import request from 'supertest';
import { zeroTrustPlugin } from './plugin';

const POLICY_FILE = resolve(
  __dirname,
  '../../../deploy/platform/zero-trust/zero-trust-policies.yaml',
);

const SERVICE = mockCredentials.service.header();
const USER = mockCredentials.user.header('user:default/ingrid.nilsen');

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

type Server = Parameters<typeof request>[0];

describe.each(databases.eachSupportedId())(
  'zero-trust plugin on %s',
  databaseId => {
    let server: Server;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      // Each plugin gets a database of its own, as in a real backend.
      const knexes: Record<
        string,
        Awaited<ReturnType<typeof databases.init>>
      > = {
        'zero-trust': await databases.init(databaseId),
        observability: await databases.init(databaseId),
      };
      const backend = await startTestBackend({
        features: [
          zeroTrustPlugin,
          observabilityPlugin,
          createServiceFactory({
            service: coreServices.database,
            deps: { plugin: coreServices.pluginMetadata },
            factory: ({ plugin }) =>
              mockServices.database({
                knex: knexes[plugin.getId()],
                migrations: { skip: false },
              }),
          }),
          mockServices.rootConfig.factory({
            data: {
              zeroTrust: {
                policiesFile: POLICY_FILE,
                // supertest connects from loopback: it plays the gateway's
                // proxy, whose X-Forwarded-For is believed.
                trustedProxies: ['127.0.0.1', '::1'],
              },
            },
          }),
        ],
      });
      server = backend.server;
      stop = () => backend.stop();
    }, 30_000);

    afterAll(async () => {
      await stop?.();
    }, 30_000);

    it('refuses a request with an invalid bearer token', async () => {
      const response = await request(server)
        .post('/api/zero-trust/decisions')
        .set('Authorization', 'Bearer not-a-token')
        .send({ action: 'GET' });

      expect(response.status).toBe(401);
      expect(response.body.error.name).toBe('AuthenticationError');
    });

    it('reads only JSON bodies, and names what is wrong with one', async () => {
      const send = (type: string, body: string) =>
        request(server)
          .post('/api/zero-trust/decisions')
          .set('Authorization', SERVICE)
          .set('Content-Type', type)
          .send(body);

      await expectJsonBodyChecks(send);
      const json = await send('application/json', '{"action": "GET"}');
      expect(json.status).toBe(200);
    });

    it('answers a decision with an explanation, the address read behind the proxy', async () => {
      const response = await request(server)
        .post('/api/zero-trust/decisions')
        .set('Authorization', SERVICE)
        .set('X-Forwarded-For', '::ffff:10.4.5.6, 127.0.0.1')
        .send({
          subject: {
            user: 'kari@tms.example.com',
            roles: ['admin'],
            mfa: false,
          },
          resource: { service: 'user-service', path: '/users' },
          action: 'GET',
        });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        decision: 'require_mfa',
        obligations: ['mfa'],
        policyId: 'admin-requires-mfa',
        clientAddress: '10.4.5.6',
        policyVersion: 1,
      });
      expect(response.body.riskFactors).toContainEqual(
        expect.objectContaining({ factor: 'no_mfa', points: 15 }),
      );
      const traced = response.body.explanation.find(
        (p: { policyId: string }) => p.policyId === 'admin-requires-mfa',
      );
      expect(traced.conditions).toEqual([
        expect.objectContaining({
          field: 'subject.roles',
          actual: ['admin'],
          result: true,
        }),
        expect.objectContaining({
          field: 'subject.mfa',
          actual: false,
          result: true,
        }),
      ]);
    });

    it.each([
      ['zeroTrust.block.delete', 'group:default/platform-team', 'allow'],
      ['zeroTrust.block.delete', 'group:default/learning-team', 'deny'],
      ['zeroTrust.policy.update', 'group:default/learning-team', 'deny'],
      ['observability.alert.update', 'group:default/learning-team', 'allow'],
      ['observability.alert.update', 'group:default/guests', 'deny'],
    ])(
      'decides the portal permission %s for %s by the policy file: %s',
      async (action, group, expected) => {
        const response = await request(server)
          .post('/api/zero-trust/decisions?explain=false')
          .set('Authorization', SERVICE)
          .send({
            subject: { user: 'user:default/someone', groups: [group] },
            action,
          });

        expect(response.body.decision).toBe(expected);
        expect(response.body.explanation).toBeUndefined();
      },
    );

    it('answers a batch in order, without explanations unless asked', async () => {
      const response = await request(server)
        .post('/api/zero-trust/decisions/batch')
        .set('Authorization', SERVICE)
        .send({
          requests: [
            {
              subject: { roles: ['user'] },
              action: 'GET',
              context: { clientAddress: '10.7.0.1' },
            },
            {
              subject: { roles: ['user'] },
              action: 'GET',
              context: { clientAddress: '192.0.2.1' },
            },
          ],
        });

      expect(response.status).toBe(200);
      expect(
        response.body.decisions.map(
          (d: { decision: string; policyId: string }) => [
            d.decision,
            d.policyId,
          ],
        ),
      ).toEqual([
        ['allow', 'services-read'],
        ['deny', 'deny-documentation-networks'],
      ]);
      expect(response.body.decisions[0].explanation).toBeUndefined();
    });

    it('validates a draft and dry-runs it against the decisions made so far', async () => {
      const draft = {
        policies: [
          {
            id: 'nothing-but-health',
            priority: 1,
            actions: ['allow'],
            conditions: {
              field: 'resource.path',
              operator: 'equals',
              value: '/health',
            },
          },
        ],
      };
      const validation = await request(server)
        .post('/api/zero-trust/policies/validate')
        .set('Authorization', USER)
        .send({
          document: {
            policies: [{ ...draft.policies[0], actions: ['permit'] }],
          },
        });
      expect(validation.body).toEqual({
        valid: false,
        problems: ["policies[0].actions[0]: unknown action 'permit'"],
      });

      // Decisions are stored for dry runs in batches, a moment later.
      let dryRun: request.Response | undefined;
      for (let i = 0; i < 40; i++) {
        dryRun = await request(server)
          .post('/api/zero-trust/policies/dry-run')
          .set('Authorization', USER)
          .send({ document: draft, sinceMinutes: 10 });
        if (dryRun.body.evaluated > 0) {
          break;
        }
        await new Promise(r => setTimeout(r, 100));
      }
      expect(dryRun!.status).toBe(200);
      expect(dryRun!.body.evaluated).toBeGreaterThan(0);
      expect(dryRun!.body.transitions['allow -> deny']).toBeGreaterThan(0);
      expect(dryRun!.body.changes[0]).toMatchObject({
        after: { decision: 'deny', policyId: 'default-deny' },
      });
    });

    it('refuses a malformed decision request naming the field', async () => {
      const response = await request(server)
        .post('/api/zero-trust/decisions')
        .set('Authorization', SERVICE)
        .send({ action: 'GET', resource: { sensitivity: 'extreme' } });

      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(
        /^Invalid resource\.sensitivity/,
      );
    });

    it.each([
      ['decisions', 'explain', 'yes', { action: 'GET' }],
      ['decisions', 'dryRun', '1', { action: 'GET' }],
      ['decisions/batch', 'dryRun', 'maybe', { requests: [{ action: 'GET' }] }],
    ])(
      'refuses %s?%s=%s, naming the query parameter',
      async (route, name, value, body) => {
        const response = await request(server)
          .post(`/api/zero-trust/${route}?${name}=${value}`)
          .set('Authorization', SERVICE)
          .send(body);

        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(
          `Query parameter '${name}' must be true or false, not '${value}'`,
        );
      },
    );

    it('blocks an address after 20 failed logins in a minute, not the one it spoofs, and tells the observability engine', async () => {
      const attacker = '203.0.113.66';
      const verdicts: boolean[] = [];
      let last: request.Response | undefined;
      const started = Date.now();
      for (let i = 0; i < 20; i++) {
        last = await request(server)
          .post('/api/zero-trust/logins')
          .set('Authorization', SERVICE)
          // The attacker writes a new address each time; the proxy appends
          // the one it really saw.
          .set('X-Forwarded-For', `10.66.0.${i}, ${attacker}`)
          .send({ user: `user${i % 3}@tms.example.com`, outcome: 'failed' });
        expect(last.status).toBe(201);
        verdicts.push(last.body.blocked);
      }
      // Blocked by the twentieth, not before.
      expect(verdicts.indexOf(true)).toBe(19);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(last!.body).toMatchObject({
        clientAddress: attacker,
        blocked: true,
        threats: [expect.objectContaining({ type: 'brute_force' })],
      });

      const blocks = await request(server)
        .get('/api/zero-trust/blocks')
        .set('Authorization', USER);
      expect(
        blocks.body.blocks.map(
          (b: { clientAddress: string }) => b.clientAddress,
        ),
      ).toEqual([attacker]);

      const spoofed = await request(server)
        .post('/api/zero-trust/decisions')
        .set('Authorization', SERVICE)
        .set('X-Forwarded-For', '10.66.0.3')
        .send({ subject: { roles: ['user'] }, action: 'GET' });
      expect(spoofed.body).toMatchObject({ clientAddress: '10.66.0.3' });
      expect(spoofed.body.policyId).not.toBe('blocked-address');

      const refused = await request(server)
        .post('/api/zero-trust/decisions')
        .set('Authorization', SERVICE)
        .set('X-Forwarded-For', attacker)
        .send({ subject: { roles: ['user'] }, action: 'GET' });
      expect(refused.body).toMatchObject({
        decision: 'deny',
        policyId: 'blocked-address',
      });

      // The events travel through the observability engine's OTLP route.
      let blockedEvent: { attributes: Record<string, unknown> } | undefined;
      for (let i = 0; i < 50 && !blockedEvent; i++) {
        await new Promise(r => setTimeout(r, 100));
        const logs = await request(server)
          .get('/api/observability/logs')
          .query({ service: 'zero-trust-engine', query: 'Blocked', limit: 100 })
          .set('Authorization', USER);
        blockedEvent = logs.body.logs?.find(
          (l: { eventName?: string }) => l.eventName === 'security.ip.blocked',
        );
      }
      expect(blockedEvent).toBeDefined();
      expect(blockedEvent!.attributes).toMatchObject({
        'client.address': attacker,
        'security.block.reason': expect.stringMatching(/^brute_force/),
        'security.block.expires_at': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });

      const health = await request(server).get('/api/zero-trust/health');
      expect(health.status).toBe(200);
      expect(health.body.events).toMatchObject({
        healthy: true,
        failedExports: 0,
      });
      // Threats, the block and decisions; the logins are auth-service's
      // to log (events.logins is off by default), so none of them.
      expect(health.body.events.sent).toBeGreaterThanOrEqual(3);
      const engineLogins = await request(server)
        .get('/api/observability/logs')
        .query({ service: 'zero-trust-engine', query: 'Login', limit: 100 })
        .set('Authorization', USER);
      expect(engineLogins.status).toBe(200);
      expect(
        engineLogins.body.logs.filter((l: { eventName?: string }) =>
          l.eventName?.startsWith('auth.login.'),
        ),
      ).toEqual([]);

      const unblocked = await request(server)
        .delete(`/api/zero-trust/blocks/${attacker}`)
        .set('Authorization', USER);
      expect(unblocked.status).toBe(200);
      expect(unblocked.body.unblockedBy).toBe('user:default/ingrid.nilsen');

      const audit = await request(server)
        .get('/api/zero-trust/audit')
        .set('Authorization', USER);
      expect(audit.body.entries.map((e: { kind: string }) => e.kind)).toEqual(
        expect.arrayContaining([
          'policy.changed',
          'threat.detected',
          'ip.blocked',
          'ip.unblocked',
          'decision',
        ]),
      );
      const verify = await request(server)
        .get('/api/zero-trust/audit/verify')
        .set('Authorization', USER);
      expect(verify.body).toMatchObject({ valid: true });
    });

    it('reports policy problems with their paths and keeps the stored version', async () => {
      const response = await request(server)
        .put('/api/zero-trust/policies')
        .set('Authorization', USER)
        .send({
          document: {
            policies: [
              {
                id: 'x',
                priority: 1,
                actions: ['allow'],
                conditions: {
                  all: [{ field: 'action', operator: 'gt=', value: 1 }],
                },
              },
            ],
          },
        });

      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain(
        "policies[0].conditions.all[0].operator: unknown operator 'gt='",
      );
      const current = await request(server)
        .get('/api/zero-trust/policies')
        .set('Authorization', USER);
      expect(current.body.version).toBe(1);
    });
  },
);
