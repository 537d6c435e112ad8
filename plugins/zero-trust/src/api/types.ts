/** Answers of the zero-trust engine (`/api/zero-trust`) the page reads. */

export type Condition =
  | { field: string; operator: string; value: unknown }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export interface Policy {
  id: string;
  description?: string;
  priority: number;
  enabled: boolean;
  conditions: Condition;
  actions: string[];
  rateLimitPerMinute?: number;
}

export interface PolicySet {
  version: number;
  document: { policies: Policy[] };
  source?: string;
  author?: string;
  comment?: string;
  createdAtMs?: number;
}

export interface DecisionRequest {
  subject: {
    user?: string;
    roles?: string[];
    groups?: string[];
    mfa?: boolean;
    deviceId?: string;
    deviceTrusted?: boolean;
  };
  resource: {
    type?: string;
    service?: string;
    path?: string;
    sensitivity?: 'low' | 'medium' | 'high' | 'critical';
  };
  action: string;
  context: { clientAddress?: string; country?: string; region?: string };
}

export interface ConditionTrace {
  path: string;
  field: string;
  operator: string;
  expected: unknown;
  actual: unknown;
  result: boolean;
}

export interface PolicyTrace {
  policyId: string;
  priority: number;
  actions: string[];
  matched: boolean;
  conditions: ConditionTrace[];
}

export interface Decision {
  decision: string;
  obligations: string[];
  rateLimitPerMinute?: number;
  riskScore: number;
  riskFactors: Array<{ factor: string; points: number; detail?: string }>;
  policyId: string;
  policyVersion: number;
  matchedPolicies: string[];
  clientAddress?: string;
  reason?: string;
  explanation?: PolicyTrace[];
}

export interface Block {
  clientAddress: string;
  reason: string;
  offences: number;
  blockedAtMs: number;
  expiresAtMs: number;
}

export interface AuditEntry {
  seq: number;
  atMs: number;
  kind: string;
  payload: unknown;
  hash: string;
}

export interface AuditVerification {
  valid: boolean;
  entries: number;
  head?: { seq: number; hash: string };
  problem?: { seq: number; reason: string };
}

/** The observability engine's `/security/dashboard`. */
export interface SecurityDashboard {
  from: string;
  to: string;
  authentication: {
    attempts: number;
    succeeded: number;
    failed: number;
    successRate: number | null;
  };
  threats: { total: number; byType: Array<{ type: string; count: number }> };
  blockedIps: Array<{ address: string; reason: string | null }>;
  policyViolations: {
    total: number;
    byPolicy: Array<{ policyId: string; count: number }>;
  };
  decisions: Array<{ decision: string; count: number }>;
  riskScores: Array<{ range: string; count: number }>;
}
