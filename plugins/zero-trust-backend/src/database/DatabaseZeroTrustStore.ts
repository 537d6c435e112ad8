import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  cacheSqliteInsertStatements,
  tuneSqliteFile,
} from '@internal/portal-node';
import { Knex } from 'knex';
import { PolicyDocument } from '../policy/types';
import {
  AuditDraft,
  AuditEntry,
  AuditHead,
  Block,
  FailureCounts,
  LoginAttempt,
  PolicyVersion,
  Session,
  StoredDecision,
  ZeroTrustStore,
} from './ZeroTrustStore';

const MIGRATIONS_DIR = resolvePackagePath(
  '@internal/backstage-plugin-zero-trust-backend',
  'migrations',
);

/** Rows per INSERT: well under the bind-variable limits of both engines. */
const INSERT_CHUNK = 200;

const HEAD_ID = 1;

const num = (value: unknown) => Number(value);
const opt = <T>(value: T | null | undefined) =>
  value === null || value === undefined ? undefined : value;

function toPolicyVersion(row: any): PolicyVersion {
  return {
    version: num(row.version),
    document: JSON.parse(row.document) as PolicyDocument,
    contentHash: row.content_hash,
    source: row.source,
    author: row.author,
    comment: opt(row.comment),
    createdAtMs: num(row.created_at_ms),
  };
}

function toBlock(row: any): Block {
  return {
    clientAddress: row.client_address,
    reason: row.reason,
    offences: num(row.offences),
    blockedAtMs: num(row.blocked_at_ms),
    expiresAtMs: num(row.expires_at_ms),
    unblockedAtMs:
      row.unblocked_at_ms === null ? undefined : num(row.unblocked_at_ms),
    unblockedBy: opt(row.unblocked_by),
  };
}

function toSession(row: any): Session {
  return {
    id: row.id,
    userName: row.user_name,
    clientAddress: opt(row.client_address),
    deviceId: opt(row.device_id),
    mfa: Boolean(row.mfa),
    createdAtMs: num(row.created_at_ms),
    lastSeenAtMs: num(row.last_seen_at_ms),
    revokedAtMs:
      row.revoked_at_ms === null ? undefined : num(row.revoked_at_ms),
  };
}

function toAuditEntry(row: any): AuditEntry {
  return {
    seq: num(row.seq),
    atMs: num(row.at_ms),
    kind: row.kind,
    payload: JSON.parse(row.payload),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The zero-trust engine's state in the plugin's own database. */
export class DatabaseZeroTrustStore implements ZeroTrustStore {
  private readonly db: Knex;
  private readonly postgres: boolean;

  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }) {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await db.migrate.latest({ directory: MIGRATIONS_DIR });
    }
    await tuneSqliteFile(db);
    await cacheSqliteInsertStatements(db);
    return new DatabaseZeroTrustStore(db);
  }

  private constructor(db: Knex) {
    this.db = db;
    this.postgres = String(db.client.config.client).startsWith('p');
  }

  async latestPolicyVersion(source?: 'file' | 'api') {
    const query = this.db('zt_policy_versions')
      .orderBy('version', 'desc')
      .first();
    if (source) {
      query.where({ source });
    }
    const row = await query;
    return row ? toPolicyVersion(row) : undefined;
  }

  async latestPolicyVersionNumber() {
    const row = await this.db('zt_policy_versions')
      .max({ version: 'version' })
      .first();
    return row?.version ? num(row.version) : 0;
  }

  async getPolicyVersion(version: number) {
    const row = await this.db('zt_policy_versions').where({ version }).first();
    return row ? toPolicyVersion(row) : undefined;
  }

  async listPolicyVersions(limit: number) {
    const rows = await this.db('zt_policy_versions')
      .select(
        'version',
        'content_hash',
        'source',
        'author',
        'comment',
        'created_at_ms',
      )
      .orderBy('version', 'desc')
      .limit(limit);
    return rows.map(row => {
      const { document: _, ...rest } = toPolicyVersion({
        ...row,
        document: 'null',
      });
      return rest;
    });
  }

  async addPolicyVersion(version: Omit<PolicyVersion, 'version'>) {
    const [row] = await this.db('zt_policy_versions')
      .insert({
        document: JSON.stringify(version.document),
        content_hash: version.contentHash,
        source: version.source,
        author: version.author,
        comment: version.comment ?? null,
        created_at_ms: version.createdAtMs,
      })
      .returning('version');
    return num(typeof row === 'object' ? row.version : row);
  }

  async addLoginAttempt(attempt: LoginAttempt) {
    await this.db('zt_login_attempts').insert({
      client_address: attempt.clientAddress,
      user_name: attempt.userName,
      outcome: attempt.outcome,
      at_ms: attempt.atMs,
      device_id: attempt.deviceId ?? null,
      country: attempt.country ?? null,
      latitude: attempt.latitude ?? null,
      longitude: attempt.longitude ?? null,
    });
  }

  async countFailures(options: {
    clientAddress: string;
    userName: string;
    sinceMs: number;
  }): Promise<FailureCounts> {
    const { clientAddress, userName, sinceMs } = options;
    const [byAddress, byUser] = await Promise.all([
      this.db('zt_login_attempts')
        .where({ client_address: clientAddress, outcome: 'failed' })
        .where('at_ms', '>', sinceMs)
        .select(
          this.db.raw('count(*) as failures'),
          this.db.raw('count(distinct user_name) as users'),
        )
        .first(),
      this.db('zt_login_attempts')
        .where({ user_name: userName, outcome: 'failed' })
        .where('at_ms', '>', sinceMs)
        .count({ failures: '*' })
        .first(),
    ]);
    return {
      byAddress: num(byAddress?.failures ?? 0),
      distinctUsersByAddress: num(byAddress?.users ?? 0),
      byUser: num(byUser?.failures ?? 0),
    };
  }

  async failureTotals(sinceMs: number) {
    const recent = () =>
      this.db('zt_login_attempts')
        .where({ outcome: 'failed' })
        .where('at_ms', '>', sinceMs);
    const [addresses, users] = await Promise.all([
      recent()
        .select('client_address as key')
        .count({ failures: '*' })
        .groupBy('client_address'),
      recent()
        .select('user_name as key')
        .count({ failures: '*' })
        .groupBy('user_name'),
    ]);
    const toMap = (rows: any[]) =>
      new Map<string, number>(rows.map(r => [r.key, num(r.failures)]));
    return { byAddress: toMap(addresses), byUser: toMap(users) };
  }

  async countAttemptsByAddress(clientAddress: string, sinceMs: number) {
    const row = await this.db('zt_login_attempts')
      .where({ client_address: clientAddress })
      .where('at_ms', '>', sinceMs)
      .count({ attempts: '*' })
      .first();
    return num(row?.attempts ?? 0);
  }

  async successfulLogins(userName: string, limit: number) {
    const rows = await this.db('zt_login_attempts')
      .where({ user_name: userName, outcome: 'succeeded' })
      .orderBy('at_ms', 'desc')
      .limit(limit);
    return rows.map(
      (row): LoginAttempt => ({
        clientAddress: row.client_address,
        userName: row.user_name,
        outcome: row.outcome,
        atMs: num(row.at_ms),
        deviceId: opt(row.device_id),
        country: opt(row.country),
        latitude: row.latitude === null ? undefined : num(row.latitude),
        longitude: row.longitude === null ? undefined : num(row.longitude),
      }),
    );
  }

  async deleteLoginAttemptsBefore(atMs: number) {
    return await this.db('zt_login_attempts').where('at_ms', '<', atMs).del();
  }

  async blockAddress(
    clientAddress: string,
    decide: (current: Block | undefined) => Block | undefined,
  ): Promise<{ block: Block; created: boolean }> {
    // Two replicas may see the same attacker cross the limit at once; the
    // row lock (or, for a first block, the primary key) lets one win.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction(async tx => {
          const row = await this.lockedRow(tx, clientAddress);
          const current = row ? toBlock(row) : undefined;
          const next = decide(current);
          if (!next) {
            return { block: current!, created: false };
          }
          const values = {
            reason: next.reason,
            offences: next.offences,
            blocked_at_ms: next.blockedAtMs,
            expires_at_ms: next.expiresAtMs,
            unblocked_at_ms: null,
            unblocked_by: null,
          };
          if (row) {
            await tx('zt_blocks')
              .where({ client_address: clientAddress })
              .update(values);
          } else {
            await tx('zt_blocks').insert({
              client_address: clientAddress,
              ...values,
            });
          }
          return { block: next, created: true };
        });
      } catch (error) {
        if (attempt >= 2) {
          throw error;
        }
      }
    }
  }

  private async lockedRow(tx: Knex.Transaction, clientAddress: string) {
    const query = tx('zt_blocks')
      .where({ client_address: clientAddress })
      .first();
    return await (this.postgres ? query.forUpdate() : query);
  }

  async getBlock(clientAddress: string) {
    const row = await this.db('zt_blocks')
      .where({ client_address: clientAddress })
      .first();
    return row ? toBlock(row) : undefined;
  }

  async listActiveBlocks(nowMs: number) {
    const rows = await this.db('zt_blocks')
      .where('expires_at_ms', '>', nowMs)
      .whereNull('unblocked_at_ms')
      .orderBy('blocked_at_ms', 'desc');
    return rows.map(toBlock);
  }

  async unblockAddress(
    clientAddress: string,
    options: { atMs: number; by: string },
  ) {
    const updated = await this.db('zt_blocks')
      .where({ client_address: clientAddress })
      .where('expires_at_ms', '>', options.atMs)
      .whereNull('unblocked_at_ms')
      .update({ unblocked_at_ms: options.atMs, unblocked_by: options.by });
    return updated > 0 ? this.getBlock(clientAddress) : undefined;
  }

  async createSession(session: Session) {
    await this.db('zt_sessions').insert({
      id: session.id,
      user_name: session.userName,
      client_address: session.clientAddress ?? null,
      device_id: session.deviceId ?? null,
      mfa: session.mfa,
      created_at_ms: session.createdAtMs,
      last_seen_at_ms: session.lastSeenAtMs,
      revoked_at_ms: null,
    });
  }

  async getSession(id: string) {
    const row = await this.db('zt_sessions').where({ id }).first();
    return row ? toSession(row) : undefined;
  }

  async touchSession(id: string, atMs: number) {
    await this.db('zt_sessions')
      .where({ id })
      .whereNull('revoked_at_ms')
      .update({ last_seen_at_ms: atMs });
  }

  async revokeSession(id: string, atMs: number) {
    const updated = await this.db('zt_sessions')
      .where({ id })
      .whereNull('revoked_at_ms')
      .update({ revoked_at_ms: atMs });
    return updated > 0;
  }

  async addDecisions(decisions: Omit<StoredDecision, 'id'>[]) {
    const rows = decisions.map(d => ({
      at_ms: d.atMs,
      policy_version: d.policyVersion,
      decision: d.decision,
      policy_id: d.policyId,
      risk_score: d.riskScore,
      input: JSON.stringify(d.input),
    }));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await this.db('zt_decisions').insert(rows.slice(i, i + INSERT_CHUNK));
    }
  }

  async recentDecisions(options: { sinceMs: number; limit: number }) {
    const rows = await this.db('zt_decisions')
      .where('at_ms', '>=', options.sinceMs)
      .orderBy('id', 'desc')
      .limit(options.limit);
    return rows.map(
      (row): StoredDecision => ({
        id: num(row.id),
        atMs: num(row.at_ms),
        policyVersion: num(row.policy_version),
        decision: row.decision,
        policyId: row.policy_id,
        riskScore: num(row.risk_score),
        input: JSON.parse(row.input),
      }),
    );
  }

  async deleteDecisionsBefore(atMs: number) {
    return await this.db('zt_decisions').where('at_ms', '<', atMs).del();
  }

  async appendAudit(
    drafts: AuditDraft[],
    chain: (head: AuditHead | undefined, drafts: AuditDraft[]) => AuditEntry[],
  ) {
    return await this.db.transaction(async tx => {
      // The head row serialises appenders across replicas: each waits for
      // the previous one's entries before it links to them.
      const headQuery = tx('zt_audit_head').where({ id: HEAD_ID }).first();
      const headRow = await (this.postgres ? headQuery.forUpdate() : headQuery);
      const head = headRow
        ? { seq: num(headRow.seq), hash: headRow.hash }
        : undefined;

      const entries = chain(head, drafts);
      const rows = entries.map(e => ({
        seq: e.seq,
        at_ms: e.atMs,
        kind: e.kind,
        payload: JSON.stringify(e.payload),
        prev_hash: e.prevHash,
        hash: e.hash,
      }));
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await tx('zt_audit_entries').insert(rows.slice(i, i + INSERT_CHUNK));
      }

      const last = entries[entries.length - 1];
      if (headRow) {
        await tx('zt_audit_head')
          .where({ id: HEAD_ID })
          .update({ seq: last.seq, hash: last.hash });
      } else {
        await tx('zt_audit_head').insert({
          id: HEAD_ID,
          seq: last.seq,
          hash: last.hash,
        });
      }
      return entries;
    });
  }

  async listAudit(options: { afterSeq: number; limit: number }) {
    const rows = await this.db('zt_audit_entries')
      .where('seq', '>', options.afterSeq)
      .orderBy('seq', 'asc')
      .limit(options.limit);
    return rows.map(toAuditEntry);
  }

  async auditHead() {
    const row = await this.db('zt_audit_head').where({ id: HEAD_ID }).first();
    return row ? { seq: num(row.seq), hash: row.hash } : undefined;
  }
}
