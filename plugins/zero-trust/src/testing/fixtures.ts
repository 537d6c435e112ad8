import { ZeroTrustApi } from '../api/ZeroTrustApi';
import {
  AuditEntry,
  Block,
  Decision,
  DecisionRequest,
  PolicySet,
  SecurityDashboard,
} from '../api/types';

export const POLICIES: PolicySet = {
  version: 3,
  source: 'file',
  author: 'zero-trust-engine',
  document: {
    policies: [
      {
        id: 'admin-requires-mfa',
        description: 'Administrators must have passed MFA in this session.',
        priority: 700,
        enabled: true,
        conditions: {
          all: [
            { field: 'subject.roles', operator: 'contains', value: 'admin' },
            { field: 'subject.mfa', operator: 'equals', value: false },
          ],
        },
        actions: ['require_mfa'],
      },
      {
        id: 'deny-documentation-networks',
        priority: 1000,
        enabled: true,
        conditions: {
          field: 'context.ip',
          operator: 'in_cidr',
          value: ['192.0.2.0/24'],
        },
        actions: ['deny', 'log'],
      },
    ],
  },
};

export const DECISION: Decision = {
  decision: 'require_mfa',
  obligations: [],
  riskScore: 30,
  riskFactors: [
    { factor: 'no_mfa', points: 15 },
    { factor: 'resource_sensitivity', points: 15, detail: 'high' },
  ],
  policyId: 'admin-requires-mfa',
  policyVersion: 3,
  matchedPolicies: ['admin-requires-mfa'],
  explanation: [
    {
      policyId: 'deny-documentation-networks',
      priority: 1000,
      actions: ['deny', 'log'],
      matched: false,
      conditions: [
        {
          path: 'conditions',
          field: 'context.ip',
          operator: 'in_cidr',
          expected: ['192.0.2.0/24'],
          actual: '203.0.113.9',
          result: false,
        },
      ],
    },
    {
      policyId: 'admin-requires-mfa',
      priority: 700,
      actions: ['require_mfa'],
      matched: true,
      conditions: [
        {
          path: 'conditions.all[0]',
          field: 'subject.roles',
          operator: 'contains',
          expected: 'admin',
          actual: ['admin'],
          result: true,
        },
        {
          path: 'conditions.all[1]',
          field: 'subject.mfa',
          operator: 'equals',
          expected: false,
          actual: false,
          result: true,
        },
      ],
    },
  ],
};

export const BLOCKS: Block[] = [
  {
    clientAddress: '198.51.100.23',
    reason: 'brute_force: 20 failed logins in 60 s',
    offences: 1,
    blockedAtMs: Date.parse('2026-12-03T10:00:00Z'),
    expiresAtMs: Date.parse('2026-12-03T10:15:00Z'),
  },
];

export const DASHBOARD: SecurityDashboard = {
  from: '2026-12-03T09:00:00Z',
  to: '2026-12-03T10:00:00Z',
  authentication: {
    attempts: 40,
    succeeded: 10,
    failed: 30,
    successRate: 0.25,
  },
  threats: { total: 2, byType: [{ type: 'brute_force', count: 2 }] },
  blockedIps: [],
  policyViolations: {
    total: 5,
    byPolicy: [{ policyId: 'deny-high-risk', count: 5 }],
  },
  decisions: [
    { decision: 'allow', count: 100 },
    { decision: 'deny', count: 5 },
  ],
  riskScores: [
    { range: '0-19', count: 90 },
    { range: '20-39', count: 10 },
    { range: '40-59', count: 3 },
    { range: '60-79', count: 1 },
    { range: '80-100', count: 1 },
  ],
};

export const AUDIT: AuditEntry[] = [
  {
    seq: 1,
    atMs: Date.parse('2026-12-03T10:00:00Z'),
    kind: 'threat.detected',
    payload: { type: 'brute_force', clientAddress: '198.51.100.23' },
    hash: 'a'.repeat(64),
  },
  {
    seq: 2,
    atMs: Date.parse('2026-12-03T10:00:01Z'),
    kind: 'ip.blocked',
    payload: { clientAddress: '198.51.100.23', note: '<b>not bold</b>' },
    hash: 'b'.repeat(64),
  },
];

/** Overrides may reject with any error, whatever the method's type. */
export function mockZeroTrustApi(
  overrides: { [K in keyof ZeroTrustApi]?: jest.Mock } = {},
): jest.Mocked<ZeroTrustApi> {
  const defaults: jest.Mocked<ZeroTrustApi> = {
    getPolicies: jest.fn(async () => POLICIES),
    decide: jest.fn<Promise<Decision>, [DecisionRequest]>(async () => DECISION),
    listBlocks: jest.fn(async () => BLOCKS),
    unblock: jest.fn<Promise<void>, [string]>(async () => undefined),
    listAudit: jest.fn<
      Promise<AuditEntry[]>,
      [{ afterSeq: number; limit: number }]
    >(async () => AUDIT),
    verifyAudit: jest.fn(async () => ({
      valid: true,
      entries: 2,
      head: { seq: 2, hash: 'b'.repeat(64) },
    })),
    getSecurityDashboard: jest.fn<
      Promise<SecurityDashboard>,
      [{ from: string; to: string }]
    >(async () => DASHBOARD),
  };
  return { ...defaults, ...overrides } as jest.Mocked<ZeroTrustApi>;
}
