/*
 * In-process measurements for `yarn bench:zero-trust`: policy evaluation
 * with 100 policies, risk calculation and session lookup, each timed call
 * by call. Prints one JSON object; scripts/bench-zero-trust.mjs writes it
 * into docs/benchmarks.md.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import knexFactory from 'knex';
import { DatabaseZeroTrustStore } from '../src/database/DatabaseZeroTrustStore';
import { LoginAttempt } from '../src/database/ZeroTrustStore';
import { CompiledPolicySet } from '../src/policy/compilePolicies';
import { parsePolicyDocument } from '../src/policy/parsePolicyDocument';
import { DecisionInput } from '../src/policy/types';
import { calculateRisk } from '../src/risk/calculateRisk';
import { AuditLog } from '../src/services/AuditLog';
import { SessionService } from '../src/services/SessionService';

const SERVICES = [
  'api-gateway',
  'auth-service',
  'user-service',
  'quiz-service',
  'safety-check-service',
  'invoice-service',
  'notification-service',
  'graphql-service',
  'reporting-service',
  'feedback-service',
];

/**
 * 100 policies of the kinds the platform file has: services by path and
 * method, roles, networks, risk thresholds. The measured request matches
 * only one of the last, so every policy is tried.
 */
function hundredPolicies() {
  const policies = [];
  for (let i = 0; i < 99; i++) {
    const service = SERVICES[i % SERVICES.length];
    policies.push({
      id: `policy-${i}`,
      priority: 1000 - i * 10,
      actions: [['deny', 'require_mfa', 'allow'][i % 3]],
      conditions: {
        all: [
          { field: 'resource.service', operator: 'equals', value: service },
          {
            any: [
              { field: 'action', operator: 'in', value: ['POST', 'DELETE'] },
              {
                field: 'subject.roles',
                operator: 'contains',
                value: `role-${i}`,
              },
              {
                field: 'context.ip',
                operator: 'in_cidr',
                value: [`10.${i}.0.0/16`],
              },
            ],
          },
          {
            field: 'resource.path',
            operator: 'matches',
            value: `^/v1/${service}/`,
          },
          {
            not: {
              field: 'context.riskScore',
              operator: 'gte',
              value: 90 - (i % 20),
            },
          },
        ],
      },
    });
  }
  policies.push({
    id: 'reads',
    priority: 1,
    actions: ['allow'],
    conditions: {
      all: [
        { field: 'action', operator: 'in', value: ['GET', 'HEAD'] },
        { field: 'context.riskScore', operator: 'lt', value: 70 },
      ],
    },
  });
  return parsePolicyDocument({ policies });
}

const silent: LoggerService = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => silent,
};

function percentiles(samplesNs: Float64Array) {
  const sorted = Float64Array.from(samplesNs).sort();
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1000;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] / 1000 };
}

function timeSync(count: number, fn: (i: number) => unknown) {
  // Warm up first, so that the JIT has settled before anything counts.
  for (let i = 0; i < Math.min(count, 20_000); i++) {
    fn(i);
  }
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    fn(i);
    samples[i] = Number(process.hrtime.bigint() - start);
  }
  return percentiles(samples);
}

async function timeAsync(count: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(count, 20_000); i++) {
    await fn(i);
  }
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    samples[i] = Number(process.hrtime.bigint() - start);
  }
  return percentiles(samples);
}

async function main() {
  const set = new CompiledPolicySet(hundredPolicies(), 1);
  const inputs: DecisionInput[] = Array.from({ length: 1024 }, (_, i) => ({
    subject: {
      user: `user${i}@tms.example.com`,
      roles: ['user'],
      groups: [],
      mfa: i % 2 === 0,
      deviceTrusted: true,
    },
    resource: { service: 'quiz-service', path: `/v1/quizzes/${i}` },
    action: 'GET',
    context: {
      ip: `172.16.${i % 256}.${(i * 7) % 256}`,
      hour: 10,
      riskScore: 20,
    },
  }));
  const sample = set.evaluate(inputs[0]);
  if (sample.policyId !== 'reads') {
    throw new Error(
      `the measured request should reach the last policy, not ${sample.policyId}`,
    );
  }
  const evaluation = timeSync(300_000, i => set.evaluate(inputs[i & 1023]));
  const explained = timeSync(50_000, i => set.explain(inputs[i & 1023]));

  const now = Date.now();
  const history: LoginAttempt[] = Array.from({ length: 50 }, (_, i) => ({
    clientAddress: '10.0.0.1',
    userName: 'kari',
    outcome: 'succeeded',
    atMs: now - i * 3_600_000,
    deviceId: `device-${i % 3}`,
    country: 'NO',
    latitude: 59.91,
    longitude: 10.75,
  }));
  const risk = timeSync(300_000, i =>
    calculateRisk({
      nowMs: now + i,
      failedAttempts: i % 4,
      blocked: false,
      mfa: i % 2 === 0,
      deviceId: `device-${i % 5}`,
      country: i % 7 === 0 ? 'SG' : 'NO',
      latitude: 1.35,
      longitude: 103.82,
      sensitivity: 'high',
      history,
    }),
  );

  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const store = await DatabaseZeroTrustStore.create({
    database: { getClient: async () => knex },
  });
  const sessions = SessionService.create({
    store,
    audit: AuditLog.create({ store, logger: silent }),
    settings: {
      idleTimeoutSeconds: 1800,
      absoluteTimeoutSeconds: 43200,
      cacheTtlMs: 1000,
    },
  });
  const ids: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    ids.push((await sessions.create({ userName: `user${i}`, mfa: true })).id);
  }
  // Within the cache bound, as a replica under load serves most lookups.
  const lookupNow = Date.now();
  const lookup = await timeAsync(200_000, i =>
    sessions.lookup(ids[(i * 7919) % ids.length], lookupNow),
  );
  await knex.destroy();

  console.log(
    JSON.stringify({ evaluation, explained, risk, lookup, policies: 100 }),
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
