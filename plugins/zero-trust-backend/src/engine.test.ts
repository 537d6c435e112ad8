import { TestDatabases } from '@backstage/backend-test-utils';
import { resolve } from 'node:path';
import { testEngine } from './__testUtils__/testEngine';

const MIGRATIONS = { directory: resolve(__dirname, '../migrations') };
const POLICY_FILE = resolve(
  __dirname,
  '../../../deploy/platform/zero-trust/zero-trust-policies.yaml',
);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** 12:00:00 UTC on a fixed day, so that windows cross a known minute. */
const NOON = Date.UTC(2026, 11, 3, 12, 0, 0);

describe.each(databases.eachSupportedId())('on %s', databaseId => {
  it('migrates up and down and up again', async () => {
    const knex = await databases.init(databaseId);

    await knex.migrate.latest(MIGRATIONS);
    expect(await knex.schema.hasTable('zt_audit_entries')).toBe(true);
    await knex.migrate.rollback(MIGRATIONS, true);
    expect(await knex.schema.hasTable('zt_audit_entries')).toBe(false);
    expect(await knex.schema.hasTable('zt_blocks')).toBe(false);
    await knex.migrate.latest(MIGRATIONS);
    expect(await knex.schema.hasTable('zt_blocks')).toBe(true);
  });

  describe('threat detection across replicas', () => {
    it('trips a limit of five with six failures split over two replicas and a minute boundary', async () => {
      const knex = await databases.init(databaseId);
      const settings = {
        detection: { maxFailuresPerAddress: 5, windowSeconds: 60 },
        blocks: { cacheRefreshMs: 100 },
      };
      const a = await testEngine(knex, settings);
      const b = await testEngine(knex, settings);
      const attacker = '203.0.113.7';
      const fail = (
        replica: typeof a,
        atMs: number,
        user = 'ola@tms.example.com',
      ) =>
        replica.detector.recordLogin({
          clientAddress: attacker,
          userName: user,
          outcome: 'failed',
          atMs,
        });

      // Long before the window: does not count.
      await fail(a, NOON - 120_000);
      const early = [
        await fail(a, NOON - 10_000),
        await fail(b, NOON - 5_000),
        await fail(a, NOON - 1_000),
        await fail(b, NOON + 2_000),
      ];
      expect(early.map(v => v.blocked)).toEqual([false, false, false, false]);

      const fifth = await fail(a, NOON + 4_000);
      expect(fifth.blocked).toBe(true);
      expect(fifth.threats).toEqual([
        expect.objectContaining({ type: 'brute_force' }),
      ]);

      // The other replica refuses the address once its copy is refreshed.
      const sixth = await fail(b, NOON + 4_200);
      expect(sixth.blocked).toBe(true);
      expect(await b.blocks.isBlocked(attacker, NOON + 4_300)).toBe(true);
      const decision = await b.decisions.decide(
        { subject: {}, resource: {}, action: 'GET', context: {} },
        attacker,
        { explain: true, nowMs: NOON + 4_300 },
      );
      expect(decision).toMatchObject({
        decision: 'deny',
        policyId: 'blocked-address',
      });
      expect(decision.riskFactors.map(f => f.factor)).toContain(
        'blocked_address',
      );

      const blocks = await a.blocks.list(NOON + 5_000);
      expect(blocks).toHaveLength(1);
      expect(blocks[0]).toMatchObject({ clientAddress: attacker, offences: 1 });
    });

    it('detects credential stuffing and lengthens repeat blocks', async () => {
      const knex = await databases.init(databaseId);
      const engine = await testEngine(knex, {
        detection: { maxFailuresPerAddress: 50, maxUsersPerAddress: 4 },
        blocks: { baseSeconds: 60, growthFactor: 4 },
      });
      const address = '198.51.100.20';

      let verdict;
      for (let i = 0; i < 4; i++) {
        verdict = await engine.detector.recordLogin({
          clientAddress: address,
          userName: `user${i}@tms.example.com`,
          outcome: 'failed',
          atMs: NOON + i,
        });
      }
      expect(verdict!.threats.map(t => t.type)).toEqual([
        'credential_stuffing',
      ]);
      expect(verdict!.blockExpiresAt).toBe(
        new Date(NOON + 3 + 60_000).toISOString(),
      );

      // The failures count towards the risk of that account elsewhere.
      const decision = await engine.decisions.decide(
        {
          subject: { user: 'user0@tms.example.com', roles: ['user'] },
          resource: {},
          action: 'GET',
          context: {},
        },
        '10.1.1.1',
        { explain: false, nowMs: NOON + 5 },
      );
      expect(decision.riskFactors).toContainEqual({
        factor: 'failed_attempts',
        points: 3,
        detail: '1 failed logins in the window',
      });

      await engine.blocks.unblock(
        address,
        'user:default/ingrid.nilsen',
        NOON + 10,
      );
      const again = await engine.blocks.block(address, 'again', NOON + 20);
      expect(again.block.offences).toBe(2);
      expect(again.block.expiresAtMs).toBe(NOON + 20 + 4 * 60_000);
      await expect(
        engine.blocks.unblock('198.51.100.99', 'someone'),
      ).rejects.toThrow("Address '198.51.100.99' is not blocked");
    });

    it('reports impossible travel between two successful logins', async () => {
      const knex = await databases.init(databaseId);
      const engine = await testEngine(knex);
      const login = (atMs: number, latitude: number, longitude: number) =>
        engine.detector.recordLogin({
          clientAddress: '10.0.0.5',
          userName: 'kari@tms.example.com',
          outcome: 'succeeded',
          atMs,
          latitude,
          longitude,
        });

      // Oslo, then Singapore half an hour later.
      expect((await login(NOON, 59.91, 10.75)).threats).toEqual([]);
      const verdict = await login(NOON + 30 * 60_000, 1.35, 103.82);
      expect(verdict.threats).toEqual([
        expect.objectContaining({
          type: 'impossible_travel',
          userName: 'kari@tms.example.com',
        }),
      ]);
      expect(verdict.blocked).toBe(false);
    });
  });

  describe('the audit log', () => {
    async function filledLog() {
      const knex = await databases.init(databaseId);
      const engine = await testEngine(knex);
      for (let i = 1; i <= 5; i++) {
        // Key order differs from the canonical one on purpose.
        engine.audit.append(
          'ip.blocked',
          { z: i, a: { y: [1, 'x'], b: null } },
          NOON + i,
        );
      }
      await engine.audit.flush();
      return { knex, engine };
    }

    it('verifies an untouched chain after a database round trip', async () => {
      const { engine } = await filledLog();

      const result = await engine.audit.verify();
      expect(result).toMatchObject({
        valid: true,
        entries: 5,
        head: { seq: 5 },
      });
      const entries = await engine.audit.list({ afterSeq: 0, limit: 10 });
      expect(entries[1].prevHash).toBe(entries[0].hash);
    });

    it('detects a modified entry', async () => {
      const { knex, engine } = await filledLog();
      await knex('zt_audit_entries')
        .where({ seq: 3 })
        .update({
          payload: JSON.stringify({ z: 99, a: { y: [1, 'x'], b: null } }),
        });

      expect(await engine.audit.verify()).toMatchObject({
        valid: false,
        problem: { seq: 3, reason: 'contents do not match its hash' },
      });
    });

    it('detects an inserted entry', async () => {
      const { knex, engine } = await filledLog();
      // Make room after 2 and put a forged entry there.
      const later = await knex('zt_audit_entries')
        .where('seq', '>', 2)
        .orderBy('seq', 'desc');
      for (const row of later) {
        await knex('zt_audit_entries')
          .where({ seq: row.seq })
          .update({ seq: Number(row.seq) + 1 });
      }
      const second = await knex('zt_audit_entries').where({ seq: 2 }).first();
      await knex('zt_audit_entries').insert({
        ...second,
        seq: 3,
        kind: 'ip.unblocked',
        prev_hash: second.hash,
      });

      expect(await engine.audit.verify()).toMatchObject({
        valid: false,
        problem: { seq: 3, reason: 'contents do not match its hash' },
      });
    });

    it('detects a deleted entry', async () => {
      const { knex, engine } = await filledLog();
      await knex('zt_audit_entries').where({ seq: 2 }).del();

      expect(await engine.audit.verify()).toMatchObject({
        valid: false,
        problem: { seq: 2, reason: 'entry missing' },
      });
    });

    it('detects a deleted last entry', async () => {
      const { knex, engine } = await filledLog();
      await knex('zt_audit_entries').where({ seq: 5 }).del();

      expect(await engine.audit.verify()).toMatchObject({
        valid: false,
        problem: { seq: 5, reason: 'chain ends at 4 but the head says 5' },
      });
    });

    it('chains appends of two replicas into one log', async () => {
      const knex = await databases.init(databaseId);
      const a = await testEngine(knex);
      const b = await testEngine(knex);
      a.audit.append('policy.changed', { by: 'a' });
      await a.audit.flush();
      b.audit.append('policy.changed', { by: 'b' });
      await b.audit.flush();
      a.audit.append('policy.changed', { by: 'a' });
      await a.audit.flush();

      expect(await a.audit.verify()).toMatchObject({ valid: true, entries: 3 });
    });
  });

  describe('policies', () => {
    it('imports the file once, takes API versions, and dry-runs drafts against recent decisions', async () => {
      const knex = await databases.init(databaseId);
      const a = await testEngine(knex, { policiesFile: POLICY_FILE });
      const b = await testEngine(knex, { policiesFile: POLICY_FILE });
      await a.start();
      await b.start();
      expect(a.policies.current.version).toBe(1);
      expect(b.policies.current.version).toBe(1);

      const read = {
        subject: { roles: ['user'] },
        resource: {},
        action: 'GET',
        context: {},
      };
      for (let i = 0; i < 3; i++) {
        const d = await a.decisions.decide(read, '10.0.0.1', {
          explain: false,
        });
        expect(d.decision).toBe('allow');
      }
      await a.decisions.flush();

      const draft = {
        policies: [
          {
            id: 'read-only-office',
            priority: 1,
            actions: ['allow'],
            conditions: {
              field: 'context.ip',
              operator: 'in_cidr',
              value: '10.9.0.0/16',
            },
          },
        ],
      };
      const dryRun = await a.policies.dryRun(draft, { sinceMs: 0, limit: 100 });
      expect(dryRun).toMatchObject({
        evaluated: 3,
        changed: 3,
        transitions: { 'allow -> deny': 3 },
      });

      await expect(
        a.policies.update(
          { policies: [{ ...draft.policies[0], priority: 'high' }] },
          'me',
        ),
      ).rejects.toThrow(/policies\[0\]\.priority/);
      expect(await a.store.latestPolicyVersionNumber()).toBe(1);

      expect(
        await a.policies.update(
          draft,
          'user:default/ingrid.nilsen',
          'office only',
        ),
      ).toBe(2);
      await b.policies.refresh();
      expect(b.policies.current.version).toBe(2);
      expect(
        (await b.decisions.decide(read, '10.0.0.1', { explain: false }))
          .decision,
      ).toBe('deny');

      // A restart with the same file adds no version.
      await a.stop();
      await b.stop();
      const c = await testEngine(knex, { policiesFile: POLICY_FILE });
      await c.start();
      expect(c.policies.current.version).toBe(2);
      await c.stop();
      const audit = await c.audit.list({ afterSeq: 0, limit: 100 });
      expect(audit.filter(e => e.kind === 'policy.changed')).toHaveLength(2);
      expect(await c.audit.verify()).toMatchObject({ valid: true });
    });
  });

  it('prunes login attempts and decisions past the retention', async () => {
    const knex = await databases.init(databaseId);
    const engine = await testEngine(knex, { retentionHours: 1 });
    for (const atMs of [NOON - 2 * 3600_000, NOON - 60_000]) {
      await engine.store.addLoginAttempt({
        clientAddress: '10.0.0.1',
        userName: 'kari',
        outcome: 'failed',
        atMs,
      });
      await engine.store.addDecisions([
        {
          atMs,
          policyVersion: 1,
          decision: 'allow',
          policyId: 'x',
          riskScore: 0,
          input: {},
        },
      ]);
    }

    expect(await engine.prune(NOON)).toEqual({ attempts: 1, decisions: 1 });
    expect(
      await engine.store.recentDecisions({ sinceMs: 0, limit: 10 }),
    ).toHaveLength(1);
  });

  it('decides a dry run without blocking, storing, auditing or sending events', async () => {
    const knex = await databases.init(databaseId);
    let eventExports = 0;
    const engine = await testEngine(knex, {}, async () => {
      eventExports += 1;
      return new Response('{}', { status: 200 });
    });
    await engine.start();
    await engine.policies.update(
      {
        policies: [
          {
            id: 'block-scanner-network',
            priority: 1,
            actions: ['block_ip'],
            conditions: {
              field: 'context.ip',
              operator: 'in_cidr',
              value: '10.7.0.0/16',
            },
          },
        ],
      },
      'user:default/ingrid.nilsen',
    );
    await engine.audit.flush();
    const auditBefore = await engine.audit.list({ afterSeq: 0, limit: 100 });
    const request = {
      subject: { user: 'scanner@tms.example.com' },
      resource: {},
      action: 'GET',
      context: {},
    };

    const tried = await engine.decisions.decide(request, '10.7.1.2', {
      explain: true,
      dryRun: true,
    });
    await engine.decisions.flush();
    await engine.events.flush();
    await engine.audit.flush();

    expect(tried).toMatchObject({
      decision: 'block_ip',
      policyId: 'block-scanner-network',
    });
    expect(tried.explanation?.length).toBeGreaterThan(0);
    expect(await engine.blocks.isBlocked('10.7.1.2', Date.now())).toBe(false);
    expect(
      await engine.store.recentDecisions({ sinceMs: 0, limit: 10 }),
    ).toEqual([]);
    expect(await engine.audit.list({ afterSeq: 0, limit: 100 })).toEqual(
      auditBefore,
    );
    expect(eventExports).toBe(0);

    // The same request for real blocks the address, keeps and audits it.
    await engine.decisions.decide(request, '10.7.1.2', { explain: false });
    await engine.decisions.flush();
    await engine.events.flush();
    expect(await engine.blocks.isBlocked('10.7.1.2', Date.now())).toBe(true);
    expect(
      await engine.store.recentDecisions({ sinceMs: 0, limit: 10 }),
    ).toHaveLength(1);
    expect(eventExports).toBeGreaterThan(0);
    await engine.stop();
  });

  it('decides while the observability engine hangs', async () => {
    const knex = await databases.init(databaseId);
    const hanging = new Promise<Response>(() => {});
    const engine = await testEngine(
      knex,
      { policiesFile: POLICY_FILE },
      () => hanging,
    );
    await engine.start();

    const decision = await engine.decisions.decide(
      {
        subject: { roles: ['user'] },
        resource: {},
        action: 'GET',
        context: {},
      },
      '10.0.0.9',
      { explain: false },
    );

    expect(decision.decision).toBe('allow');
    expect(engine.events.health.sent).toBe(0);
  });

  describe('sessions', () => {
    it('expires idle and old sessions, and a revocation elsewhere shows within the cache bound', async () => {
      const knex = await databases.init(databaseId);
      const settings = {
        sessions: {
          idleTimeoutSeconds: 60,
          absoluteTimeoutSeconds: 600,
          cacheTtlMs: 1000,
        },
      };
      const a = await testEngine(knex, settings);
      const b = await testEngine(knex, settings);

      const session = await a.sessions.create({
        userName: 'kari',
        mfa: true,
        nowMs: NOON,
      });
      expect((await a.sessions.lookup(session.id, NOON + 10)).status).toBe(
        'active',
      );
      expect((await b.sessions.lookup(session.id, NOON + 10)).status).toBe(
        'active',
      );

      await b.sessions.revoke(
        session.id,
        'user:default/ingrid.nilsen',
        NOON + 20,
      );
      // Replica a may answer from its cache until the bound has passed.
      expect((await a.sessions.lookup(session.id, NOON + 1011)).status).toBe(
        'revoked',
      );

      const idle = await a.sessions.create({
        userName: 'kari',
        mfa: false,
        nowMs: NOON,
      });
      expect((await a.sessions.refresh(idle.id, NOON + 50_000)).status).toBe(
        'active',
      );
      expect((await a.sessions.lookup(idle.id, NOON + 105_000)).status).toBe(
        'active',
      );
      expect((await a.sessions.lookup(idle.id, NOON + 111_000)).status).toBe(
        'idle_expired',
      );

      const old = await a.sessions.create({
        userName: 'kari',
        mfa: false,
        nowMs: NOON,
      });
      for (let t = 50_000; t < 600_000; t += 50_000) {
        await a.sessions.refresh(old.id, NOON + t);
      }
      expect((await a.sessions.lookup(old.id, NOON + 601_000)).status).toBe(
        'expired',
      );
      await expect(a.sessions.lookup('nope')).rejects.toThrow(
        "No session 'nope'",
      );
    });
  });
});
