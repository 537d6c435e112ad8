import * as ipaddr from 'ipaddr.js';
import {
  Condition,
  ConditionTrace,
  ConditionValue,
  DecisionInput,
  DecisionOutcome,
  Evaluation,
  ExplainedEvaluation,
  FieldName,
  FIELDS,
  OUTCOME_STRICTNESS,
  Policy,
  PolicyAction,
  PolicyDocument,
  PolicyTrace,
} from './types';
import { RE2JS } from 're2js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** An input with its address parsed once for every CIDR test. */
interface Scope {
  input: DecisionInput;
  address: Address | null | undefined;
}

type Test = (scope: Scope) => boolean;

interface CompiledCondition {
  test: Test;
  explain(scope: Scope, out: ConditionTrace[]): boolean;
}

interface CompiledPolicy {
  policy: Policy;
  test: Test;
  explain(scope: Scope, out: ConditionTrace[]): boolean;
  outcome?: DecisionOutcome;
  obligations: string[];
}

/** The id a decision carries when no policy matched. */
export const DEFAULT_DENY_POLICY = 'default-deny';

const NEGATIVE = new Set(['not_equals', 'not_in', 'not_in_cidr']);

const OBLIGATIONS: Partial<Record<PolicyAction, string>> = {
  require_mfa: 'mfa',
  step_up: 'step_up',
  rate_limit: 'rate_limit',
  log: 'log',
  raise_alert: 'alert',
};

/**
 * One accessor per field, written out: a shared `input[a][b]` would see
 * every field's shape at one site and be slow for all of them.
 */
const READERS: Record<FieldName, (input: DecisionInput) => unknown> = {
  'subject.user': i => i.subject.user,
  'subject.roles': i => i.subject.roles,
  'subject.groups': i => i.subject.groups,
  'subject.mfa': i => i.subject.mfa,
  'subject.deviceTrusted': i => i.subject.deviceTrusted,
  'subject.sessionAgeSeconds': i => i.subject.sessionAgeSeconds,
  'resource.type': i => i.resource.type,
  'resource.service': i => i.resource.service,
  'resource.path': i => i.resource.path,
  'resource.sensitivity': i => i.resource.sensitivity,
  action: i => i.action,
  'context.ip': i => i.context.ip,
  'context.country': i => i.context.country,
  'context.region': i => i.context.region,
  'context.hour': i => i.context.hour,
  'context.riskScore': i => i.context.riskScore,
};

function scopeAddress(scope: Scope): Address | null {
  if (scope.address === undefined) {
    const ip = scope.input.context.ip;
    scope.address =
      ip && ipaddr.isValid(ip) ? normalise(ipaddr.parse(ip)) : null;
  }
  return scope.address;
}

function normalise(address: Address): Address {
  return address.kind() === 'ipv6' &&
    (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

function inRanges(address: Address, ranges: [Address, number][]) {
  return ranges.some(
    ([range, bits]) =>
      range.kind() === address.kind() && address.match(range, bits),
  );
}

/** Builds the comparison of one leaf condition, its operands prepared. */
function comparison(
  field: FieldName,
  operator: string,
  value: ConditionValue,
): (actual: unknown, scope: Scope) => boolean {
  const type = FIELDS[field];

  switch (operator) {
    case 'equals':
      if (type === 'ip') {
        const expected = normalise(ipaddr.parse(String(value))).toString();
        return (_a, scope) => scopeAddress(scope)?.toString() === expected;
      }
      return actual => actual === value;
    case 'not_equals':
      if (type === 'ip') {
        const expected = normalise(ipaddr.parse(String(value))).toString();
        return (_a, scope) => scopeAddress(scope)?.toString() !== expected;
      }
      return actual => actual !== value;
    case 'in':
    case 'not_in': {
      const set = new Set<unknown>(
        type === 'ip'
          ? (value as string[]).map(v => normalise(ipaddr.parse(v)).toString())
          : (value as unknown[]),
      );
      let hit: (actual: unknown, scope: Scope) => boolean = actual =>
        set.has(actual);
      if (type === 'string[]') {
        hit = actual => (actual as string[]).some(a => set.has(a));
      } else if (type === 'ip') {
        hit = (_a, scope) => set.has(scopeAddress(scope)?.toString());
      }
      return operator === 'in' ? hit : (a, s) => !hit(a, s);
    }
    case 'gt':
      return actual => (actual as number) > (value as number);
    case 'gte':
      return actual => (actual as number) >= (value as number);
    case 'lt':
      return actual => (actual as number) < (value as number);
    case 'lte':
      return actual => (actual as number) <= (value as number);
    case 'contains':
      return type === 'string[]'
        ? actual => (actual as string[]).includes(value as string)
        : actual => (actual as string).includes(value as string);
    case 'matches': {
      // RE2: linear in the input whatever the pattern (see parsePolicyDocument).
      const pattern = RE2JS.compile(value as string);
      return actual => pattern.test(actual as string);
    }
    case 'in_cidr':
    case 'not_in_cidr': {
      const ranges = (Array.isArray(value) ? value : [value]).map(r => {
        const [range, bits] = ipaddr.parseCIDR(String(r));
        return [
          normalise(range),
          range.kind() === 'ipv6' && normalise(range) !== range
            ? bits - 96
            : bits,
        ] as [Address, number];
      });
      const hit = (_a: unknown, scope: Scope) => {
        const address = scopeAddress(scope);
        return address !== null && inRanges(address, ranges);
      };
      return operator === 'in_cidr' ? hit : (a, s) => !hit(a, s);
    }
    default:
      throw new Error(`unknown operator '${operator}'`);
  }
}

function compileCondition(
  condition: Condition,
  path: string,
): CompiledCondition {
  if ('all' in condition) {
    const children = condition.all.map((c, i) =>
      compileCondition(c, `${path}.all[${i}]`),
    );
    const tests = children.map(c => c.test);
    return {
      test: scope => {
        for (let i = 0; i < tests.length; i++) {
          if (!tests[i](scope)) {
            return false;
          }
        }
        return true;
      },
      explain: (scope, out) =>
        // Every child is explained, not just up to the first failure, so
        // that a reader sees all that stood in the way.
        children.map(c => c.explain(scope, out)).every(Boolean),
    };
  }
  if ('any' in condition) {
    const children = condition.any.map((c, i) =>
      compileCondition(c, `${path}.any[${i}]`),
    );
    const tests = children.map(c => c.test);
    return {
      test: scope => {
        for (let i = 0; i < tests.length; i++) {
          if (tests[i](scope)) {
            return true;
          }
        }
        return false;
      },
      explain: (scope, out) =>
        children.map(c => c.explain(scope, out)).some(Boolean),
    };
  }
  if ('not' in condition) {
    const child = compileCondition(condition.not, `${path}.not`);
    return {
      test: scope => !child.test(scope),
      explain: (scope, out) => !child.explain(scope, out),
    };
  }

  const { field, operator, value } = condition;
  const read = READERS[field];
  const compare = comparison(field, operator, value);
  // A missing attribute fails every positive test and passes every negative
  // one, so "not in the office range" holds for a request without address.
  const missing = NEGATIVE.has(operator);
  const test: Test = scope => {
    const actual = read(scope.input);
    return actual === undefined || actual === null
      ? missing
      : compare(actual, scope);
  };
  return {
    test,
    explain: (scope, out) => {
      const result = test(scope);
      out.push({
        path,
        field,
        operator,
        expected: value,
        actual: read(scope.input) ?? null,
        result,
      });
      return result;
    },
  };
}

function compilePolicy(policy: Policy, index: number): CompiledPolicy {
  const condition = compileCondition(
    policy.conditions,
    `policies[${index}].conditions`,
  );
  const outcome = policy.actions.find(
    (a): a is DecisionOutcome => a in OUTCOME_STRICTNESS,
  );
  return {
    policy,
    test: condition.test,
    explain: condition.explain,
    outcome,
    obligations: policy.actions.flatMap(a =>
      OBLIGATIONS[a] ? [OBLIGATIONS[a]!] : [],
    ),
  };
}

/**
 * A policy set compiled once into closures. Policies are tried from the
 * highest priority down; the first priority at which a deciding policy
 * matches decides, and there the strictest outcome wins (deny beats allow,
 * as Istio evaluates DENY before ALLOW). Nothing matching means deny.
 */
export class CompiledPolicySet {
  readonly version: number;
  private readonly tiers: CompiledPolicy[][];

  constructor(document: PolicyDocument, version: number) {
    this.version = version;

    const compiled = document.policies
      .map(compilePolicy)
      .filter(c => c.policy.enabled);
    const priorities = [...new Set(compiled.map(c => c.policy.priority))].sort(
      (a, b) => b - a,
    );
    this.tiers = priorities.map(p =>
      compiled.filter(c => c.policy.priority === p),
    );
  }

  evaluate(input: DecisionInput): Evaluation {
    const scope: Scope = { input, address: undefined };
    const matched: CompiledPolicy[] = [];

    for (const tier of this.tiers) {
      let winner: CompiledPolicy | undefined;
      for (const policy of tier) {
        if (policy.test(scope)) {
          matched.push(policy);
          if (
            policy.outcome &&
            (!winner ||
              OUTCOME_STRICTNESS[policy.outcome] >
                OUTCOME_STRICTNESS[winner.outcome!])
          ) {
            winner = policy;
          }
        }
      }
      if (winner) {
        return this.result(winner, matched);
      }
    }
    return this.result(undefined, matched);
  }

  /** Like evaluate, with every considered condition and what it saw. */
  explain(input: DecisionInput): ExplainedEvaluation {
    const scope: Scope = { input, address: undefined };
    const matched: CompiledPolicy[] = [];
    const explanation: PolicyTrace[] = [];

    for (const tier of this.tiers) {
      let winner: CompiledPolicy | undefined;
      for (const policy of tier) {
        const conditions: ConditionTrace[] = [];
        const hit = policy.explain(scope, conditions);
        explanation.push({
          policyId: policy.policy.id,
          priority: policy.policy.priority,
          actions: policy.policy.actions,
          matched: hit,
          conditions,
        });
        if (hit) {
          matched.push(policy);
          if (
            policy.outcome &&
            (!winner ||
              OUTCOME_STRICTNESS[policy.outcome] >
                OUTCOME_STRICTNESS[winner.outcome!])
          ) {
            winner = policy;
          }
        }
      }
      if (winner) {
        return { ...this.result(winner, matched), explanation };
      }
    }
    return { ...this.result(undefined, matched), explanation };
  }

  private result(
    winner: CompiledPolicy | undefined,
    matched: CompiledPolicy[],
  ): Evaluation {
    const obligations = new Set<string>();
    for (const m of matched) {
      // Obligations of policies that lost to a stricter one do not apply,
      // except logging and alerting, which any matching policy may ask for.
      for (const o of m.obligations) {
        if (m === winner || o === 'log' || o === 'alert') {
          obligations.add(o);
        }
      }
    }
    return {
      decision: winner?.outcome ?? 'deny',
      policyId: winner?.policy.id ?? DEFAULT_DENY_POLICY,
      matchedPolicies: matched.map(m => m.policy.id),
      obligations: [...obligations],
      rateLimitPerMinute:
        winner?.outcome === 'rate_limit'
          ? winner.policy.rateLimitPerMinute
          : undefined,
    };
  }
}
