import { PolicyDocument } from '../policy/types';

export interface PolicyVersion {
  version: number;
  document: PolicyDocument;
  contentHash: string;
  source: 'file' | 'api';
  author: string;
  comment?: string;
  createdAtMs: number;
}

export type LoginOutcome = 'succeeded' | 'failed';

export interface LoginAttempt {
  clientAddress: string;
  userName: string;
  outcome: LoginOutcome;
  atMs: number;
  deviceId?: string;
  country?: string;
  latitude?: number;
  longitude?: number;
}

export interface Block {
  clientAddress: string;
  reason: string;
  offences: number;
  blockedAtMs: number;
  expiresAtMs: number;
  unblockedAtMs?: number;
  unblockedBy?: string;
}

export interface Session {
  id: string;
  userName: string;
  clientAddress?: string;
  deviceId?: string;
  mfa: boolean;
  createdAtMs: number;
  lastSeenAtMs: number;
  revokedAtMs?: number;
}

export interface StoredDecision {
  id: number;
  atMs: number;
  policyVersion: number;
  decision: string;
  policyId: string;
  riskScore: number;
  input: unknown;
}

export interface AuditEntry {
  seq: number;
  atMs: number;
  kind: string;
  payload: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditHead {
  seq: number;
  hash: string;
}

/** The draft of an audit entry, before the chain gives it seq and hashes. */
export interface AuditDraft {
  atMs: number;
  kind: string;
  payload: unknown;
}

/** Window counts of failed logins, as the threat detector reads them. */
export interface FailureCounts {
  byAddress: number;
  distinctUsersByAddress: number;
  byUser: number;
}

/** Where the engine's state lives; every replica shares it. */
export interface ZeroTrustStore {
  latestPolicyVersion(
    source?: 'file' | 'api',
  ): Promise<PolicyVersion | undefined>;
  latestPolicyVersionNumber(): Promise<number>;
  getPolicyVersion(version: number): Promise<PolicyVersion | undefined>;
  listPolicyVersions(limit: number): Promise<Omit<PolicyVersion, 'document'>[]>;
  addPolicyVersion(version: Omit<PolicyVersion, 'version'>): Promise<number>;

  addLoginAttempt(attempt: LoginAttempt): Promise<void>;
  countFailures(options: {
    clientAddress: string;
    userName: string;
    sinceMs: number;
  }): Promise<FailureCounts>;
  /** Failed logins since a time, per address and per user. */
  failureTotals(sinceMs: number): Promise<{
    byAddress: Map<string, number>;
    byUser: Map<string, number>;
  }>;
  countAttemptsByAddress(
    clientAddress: string,
    sinceMs: number,
  ): Promise<number>;
  successfulLogins(userName: string, limit: number): Promise<LoginAttempt[]>;
  deleteLoginAttemptsBefore(atMs: number): Promise<number>;

  /**
   * Blocks an address unless it is blocked already; `decide` gets the row
   * as it stands and returns the block to write.
   */
  blockAddress(
    clientAddress: string,
    decide: (current: Block | undefined) => Block | undefined,
  ): Promise<{ block: Block; created: boolean }>;
  getBlock(clientAddress: string): Promise<Block | undefined>;
  listActiveBlocks(nowMs: number): Promise<Block[]>;
  unblockAddress(
    clientAddress: string,
    options: { atMs: number; by: string },
  ): Promise<Block | undefined>;

  createSession(session: Session): Promise<void>;
  getSession(id: string): Promise<Session | undefined>;
  touchSession(id: string, atMs: number): Promise<void>;
  revokeSession(id: string, atMs: number): Promise<boolean>;

  addDecisions(decisions: Omit<StoredDecision, 'id'>[]): Promise<void>;
  recentDecisions(options: {
    sinceMs: number;
    limit: number;
  }): Promise<StoredDecision[]>;
  deleteDecisionsBefore(atMs: number): Promise<number>;

  /**
   * Appends entries to the audit chain in one transaction; `chain` turns
   * the drafts into entries from the head as it stands inside it.
   */
  appendAudit(
    drafts: AuditDraft[],
    chain: (head: AuditHead | undefined, drafts: AuditDraft[]) => AuditEntry[],
  ): Promise<AuditEntry[]>;
  listAudit(options: {
    afterSeq: number;
    limit: number;
  }): Promise<AuditEntry[]>;
  auditHead(): Promise<AuditHead | undefined>;
}
