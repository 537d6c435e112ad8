import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CompiledPolicySet, DEFAULT_DENY_POLICY } from './compilePolicies';
import {
  parsePolicyDocument,
  parsePolicyYaml,
  validatePolicyDocument,
} from './parsePolicyDocument';
import { DecisionInput, Policy } from './types';

const REPO_ROOT = resolve(__dirname, '../../../..');
const POLICY_FILE = resolve(
  REPO_ROOT,
  'deploy/platform/zero-trust/zero-trust-policies.yaml',
);
const ISTIO = resolve(
  REPO_ROOT,
  '../shared/corpus/istio-configs/authz-builder-testdata',
);

function input(overrides: {
  subject?: Partial<DecisionInput['subject']>;
  resource?: DecisionInput['resource'];
  action?: string;
  context?: Partial<DecisionInput['context']>;
}): DecisionInput {
  return {
    subject: {
      user: 'user:default/kenji.watanabe',
      roles: ['user'],
      groups: [],
      mfa: false,
      deviceTrusted: true,
      ...overrides.subject,
    },
    resource: overrides.resource ?? {},
    action: overrides.action ?? 'GET',
    context: { hour: 10, riskScore: 0, ...overrides.context },
  };
}

const policy = (p: Partial<Policy> & Pick<Policy, 'id' | 'conditions'>) =>
  ({ priority: 10, enabled: true, actions: ['allow'], ...p } as Policy);

describe('the policy document', () => {
  it('loads the platform file', () => {
    const document = parsePolicyYaml(
      readFileSync(POLICY_FILE, 'utf8'),
      POLICY_FILE,
    );

    expect(document.policies.length).toBeGreaterThan(5);
    expect(document.policies.map(p => p.id)).toContain('admin-requires-mfa');
  });

  it('names the offending field of a bad condition', () => {
    const document = parseYaml(readFileSync(POLICY_FILE, 'utf8'));
    document.policies[3].conditions.all[1].operator = 'gt=';

    expect(validatePolicyDocument(document)).toEqual([
      "policies[3].conditions.all[1].operator: unknown operator 'gt='",
    ]);
  });

  it('lists every problem with its path', () => {
    const problems = validatePolicyDocument({
      policies: [
        {
          id: 'a',
          priority: 1,
          actions: ['allow', 'sudo'],
          conditions: {
            field: 'subject.shoeSize',
            operator: 'equals',
            value: 1,
          },
        },
        {
          id: 'a',
          priority: 1,
          actions: ['deny'],
          conditions: {
            any: [
              {
                field: 'context.ip',
                operator: 'in_cidr',
                value: '10.0.0.0/33',
              },
              { field: 'subject.mfa', operator: 'gt', value: true },
              { field: 'resource.path', operator: 'matches', value: '(' },
            ],
          },
        },
      ],
    });

    expect(problems).toEqual([
      "policies[0].actions[1]: unknown action 'sudo'",
      expect.stringMatching(
        /^policies\[0\]\.conditions\.field: unknown field 'subject\.shoeSize'/,
      ),
      "policies[1].id: duplicate id 'a' (also policies[0])",
      "policies[1].conditions.any[0].value: '10.0.0.0/33' is not a CIDR range",
      "policies[1].conditions.any[1].operator: operator 'gt' does not apply to subject.mfa (boolean)",
      expect.stringMatching(
        /^policies\[1\]\.conditions\.any\[2\]\.value: '\(' is not a regular expression \(RE2 syntax\): error parsing regexp: missing closing \)/,
      ),
    ]);
  });

  it('refuses patterns that only a backtracking engine runs, with the reason', () => {
    const problems = validatePolicyDocument({
      policies: [
        {
          id: 'lookahead',
          priority: 1,
          actions: ['deny'],
          conditions: {
            field: 'resource.path',
            operator: 'matches',
            value: '^(?=/admin)',
          },
        },
      ],
    });

    expect(problems).toEqual([
      expect.stringMatching(
        /^policies\[0\]\.conditions\.value: '\^\(\?=\/admin\)' is not a regular expression \(RE2 syntax\): .*unsupported Perl syntax/,
      ),
    ]);
  });

  it('refuses YAML that does not parse, with its line', () => {
    expect(() => parsePolicyYaml('policies:\n  - id: [a\n', 'p.yaml')).toThrow(
      /p\.yaml is not valid YAML at line \d/,
    );
  });
});

describe('evaluation order', () => {
  it('matches a pattern that backtracks catastrophically in JavaScript, in linear time', () => {
    // With JavaScript's RegExp, ^(a+)+$ against 50,000 a's and a '!'
    // would not finish; RE2 answers at once, so a policy cannot stall
    // every decision of the process.
    const set = new CompiledPolicySet(
      parsePolicyDocument({
        policies: [
          {
            id: 'nested-quantifier',
            priority: 1,
            actions: ['allow'],
            conditions: {
              field: 'resource.path',
              operator: 'matches',
              value: '^(a+)+$',
            },
          },
        ],
      }),
      1,
    );

    const evil = input({ resource: { path: `${'a'.repeat(50_000)}!` } });
    const plain = input({ resource: { path: 'aaaa' } });
    expect(set.evaluate(evil).decision).toBe('deny');
    expect(set.evaluate(plain).decision).toBe('allow');
  });

  it('denies by default, naming no policy of the set', () => {
    const set = new CompiledPolicySet({ policies: [] }, 1);

    expect(set.evaluate(input({}))).toMatchObject({
      decision: 'deny',
      policyId: DEFAULT_DENY_POLICY,
      matchedPolicies: [],
    });
  });

  it('lets deny beat allow at equal priority, as Istio evaluates DENY before ALLOW', () => {
    // Istio's deny-empty-rule and allow-empty-rule each match every
    // request; with both on one workload, DENY wins.
    const denyAll = parseYaml(
      readFileSync(resolve(ISTIO, 'deny-empty-rule-in.yaml'), 'utf8'),
    );
    const allowAll = parseYaml(
      readFileSync(resolve(ISTIO, 'allow-empty-rule-in.yaml'), 'utf8'),
    );
    expect(denyAll.spec.action).toBe('DENY');
    expect(denyAll.spec.rules).toEqual([{}]);
    expect(allowAll.spec.rules).toEqual([{}]);

    const everything = { field: 'action', operator: 'matches', value: '' };
    const set = new CompiledPolicySet(
      parsePolicyDocument({
        policies: [
          {
            id: 'allow-all',
            priority: 10,
            actions: ['allow'],
            conditions: everything,
          },
          {
            id: 'deny-all',
            priority: 10,
            actions: ['deny'],
            conditions: everything,
          },
        ],
      }),
      1,
    );

    const result = set.evaluate(input({}));
    expect(result.decision).toBe('deny');
    expect(result.policyId).toBe('deny-all');
    expect(result.matchedPolicies).toEqual(['allow-all', 'deny-all']);
  });

  it('lets a higher priority allow win over a lower deny', () => {
    const set = new CompiledPolicySet(
      {
        policies: [
          policy({
            id: 'deny-writes',
            priority: 1,
            actions: ['deny'],
            conditions: { field: 'action', operator: 'equals', value: 'POST' },
          }),
          policy({
            id: 'admins',
            priority: 5,
            conditions: {
              field: 'subject.roles',
              operator: 'contains',
              value: 'admin',
            },
          }),
        ],
      },
      1,
    );

    expect(
      set.evaluate(input({ action: 'POST', subject: { roles: ['admin'] } })),
    ).toMatchObject({ decision: 'allow', policyId: 'admins' });
    expect(set.evaluate(input({ action: 'POST' }))).toMatchObject({
      decision: 'deny',
      policyId: 'deny-writes',
    });
  });

  it('skips disabled policies and keeps log obligations of losing matches', () => {
    const set = new CompiledPolicySet(
      {
        policies: [
          policy({
            id: 'off',
            priority: 99,
            enabled: false,
            actions: ['deny'],
            conditions: { field: 'action', operator: 'equals', value: 'GET' },
          }),
          policy({
            id: 'watch',
            priority: 50,
            actions: ['log', 'raise_alert'],
            conditions: { field: 'context.hour', operator: 'lt', value: 6 },
          }),
          policy({
            id: 'reads',
            conditions: { field: 'action', operator: 'equals', value: 'GET' },
          }),
        ],
      },
      1,
    );

    expect(set.evaluate(input({ context: { hour: 3 } }))).toMatchObject({
      decision: 'allow',
      policyId: 'reads',
      matchedPolicies: ['watch', 'reads'],
      obligations: ['log', 'alert'],
    });
  });

  it('matches addresses by CIDR, IPv4-mapped IPv6 included', () => {
    const set = new CompiledPolicySet(
      {
        policies: [
          policy({
            id: 'office',
            conditions: {
              field: 'context.ip',
              operator: 'in_cidr',
              value: ['10.20.0.0/16', '2001:db8:5::/48'],
            },
          }),
        ],
      },
      1,
    );

    const decide = (ip?: string) =>
      set.evaluate(input({ context: { ip } })).decision;
    expect(decide('10.20.3.4')).toBe('allow');
    expect(decide('::ffff:10.20.3.4')).toBe('allow');
    expect(decide('2001:db8:5::1')).toBe('allow');
    expect(decide('10.21.0.1')).toBe('deny');
    expect(decide(undefined)).toBe('deny');
  });
});

describe('explanations', () => {
  const set = new CompiledPolicySet(
    parsePolicyYaml(readFileSync(POLICY_FILE, 'utf8'), 'file'),
    7,
  );

  it('explains an allow with each condition, what it saw and its result', () => {
    const result = set.explain(
      input({ action: 'GET', context: { riskScore: 15, ip: '10.1.2.3' } }),
    );

    expect(result.decision).toBe('allow');
    expect(result.policyId).toBe('services-read');
    const read = result.explanation.find(p => p.policyId === 'services-read')!;
    expect(read.matched).toBe(true);
    expect(read.conditions).toEqual([
      {
        path: expect.stringMatching(/\.conditions\.all\[0\]$/),
        field: 'action',
        operator: 'in',
        expected: ['GET', 'HEAD', 'OPTIONS'],
        actual: 'GET',
        result: true,
      },
      {
        path: expect.stringMatching(/\.conditions\.all\[1\]$/),
        field: 'context.riskScore',
        operator: 'lt',
        expected: 70,
        actual: 15,
        result: true,
      },
    ]);
    // Higher priorities were considered and did not match.
    const highRisk = result.explanation.find(
      p => p.policyId === 'deny-high-risk',
    )!;
    expect(highRisk.matched).toBe(false);
    expect(highRisk.conditions[0]).toMatchObject({ actual: 15, result: false });
  });

  it('explains a deny with the values that caused it', () => {
    const result = set.explain(
      input({ context: { riskScore: 75, ip: '10.1.2.3' } }),
    );

    expect(result.decision).toBe('deny');
    expect(result.policyId).toBe('deny-high-risk');
    expect(result.obligations).toEqual(['log']);
    expect(result.explanation.at(-1)).toMatchObject({
      policyId: 'deny-high-risk',
      matched: true,
      conditions: [
        {
          field: 'context.riskScore',
          operator: 'gte',
          expected: 70,
          actual: 75,
          result: true,
        },
      ],
    });
    // Nothing below the deciding priority was considered.
    expect(result.explanation.map(p => p.policyId)).not.toContain(
      'services-read',
    );
  });

  it('explains an MFA demand', () => {
    const result = set.explain(
      input({
        subject: { roles: ['admin'], mfa: false },
        context: { riskScore: 15 },
      }),
    );

    expect(result.decision).toBe('require_mfa');
    expect(result.obligations).toEqual(['mfa']);
    const mfa = result.explanation.find(
      p => p.policyId === 'admin-requires-mfa',
    )!;
    expect(mfa.conditions.map(c => [c.field, c.actual, c.result])).toEqual([
      ['subject.roles', ['admin'], true],
      ['subject.mfa', false, true],
    ]);
    const access = result.explanation.find(p => p.policyId === 'admin-access')!;
    expect(access.matched).toBe(false);
  });
});
