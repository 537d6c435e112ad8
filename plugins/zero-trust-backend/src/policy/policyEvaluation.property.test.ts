import { isError } from '@backstage/errors';
import fc from 'fast-check';
import { CompiledPolicySet, DEFAULT_DENY_POLICY } from './compilePolicies';
import { parsePolicyDocument } from './parsePolicyDocument';
import {
  DecisionInput,
  FieldName,
  FIELDS,
  OPERATORS,
  OPERATORS_BY_TYPE,
  OUTCOME_STRICTNESS,
  POLICY_ACTIONS,
  PolicyDocument,
} from './types';

/*
 * Random policies and random requests: a policy document is either read or
 * refused with an InputError, a read one evaluates every request without
 * throwing, and nothing is allowed unless an allowing policy matched.
 */

const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];

const ip = fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 12 }));
const cidr = fc.oneof(
  fc
    .tuple(fc.ipV4(), fc.integer({ min: 0, max: 33 }))
    .map(([a, l]) => `${a}/${l}`),
  fc
    .tuple(fc.ipV6(), fc.integer({ min: 0, max: 129 }))
    .map(([a, l]) => `${a}/${l}`),
  fc.string({ maxLength: 12 }),
);
const scalar = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  ip,
  cidr,
  // Regexes, some invalid and some slow-looking.
  fc.constantFrom('^admin', '(a+)+$', '[', '.*', '\\', '(?<x>a)\\k<x>'),
);
const conditionValue = fc.oneof(
  scalar,
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), ip, cidr), {
    maxLength: 4,
  }),
);

/** A leaf condition, mostly with an operator its field's type takes. */
const leaf = fc.constantFrom(...FIELD_NAMES).chain(field =>
  fc.record({
    field: fc.constant(field),
    operator: fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom(...OPERATORS_BY_TYPE[FIELDS[field]]),
      },
      { weight: 1, arbitrary: fc.constantFrom(...OPERATORS) },
    ),
    value: conditionValue,
  }),
);

const { condition } = fc.letrec<{ condition: unknown }>(tie => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ all: fc.array(tie('condition'), { maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('condition'), { maxLength: 3 }) }),
    fc.record({ not: tie('condition') }),
  ),
}));

const policy = fc.record(
  {
    id: fc.oneof(fc.constantFrom('p1', 'p2', 'p3', 'p4'), fc.string()),
    priority: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double()),
    enabled: fc.oneof(
      { weight: 5, arbitrary: fc.constant(true) },
      fc.boolean(),
    ),
    conditions: condition,
    actions: fc.uniqueArray(fc.constantFrom(...POLICY_ACTIONS), {
      minLength: 1,
      maxLength: 3,
    }),
    rateLimitPerMinute: fc.integer({ min: 1, max: 100 }),
  },
  { requiredKeys: ['id', 'priority', 'conditions', 'actions'] },
);

const document = fc.record({ policies: fc.array(policy, { maxLength: 5 }) });

const decisionInput: fc.Arbitrary<DecisionInput> = fc.record({
  subject: fc.record(
    {
      user: fc.string({ maxLength: 12 }),
      roles: fc.array(fc.constantFrom('admin', 'developer', 'viewer', ''), {
        maxLength: 3,
      }),
      groups: fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
      mfa: fc.boolean(),
      deviceTrusted: fc.boolean(),
      sessionAgeSeconds: fc.nat(),
    },
    { requiredKeys: ['roles', 'groups', 'mfa', 'deviceTrusted'] },
  ),
  resource: fc.record(
    {
      type: fc.string({ maxLength: 8 }),
      service: fc.constantFrom('api-gateway', 'quiz-service', "'%_"),
      path: fc.string({ maxLength: 20 }),
      sensitivity: fc.constantFrom('low', 'high', 'critical'),
    },
    { requiredKeys: [] },
  ),
  action: fc.string({ maxLength: 8 }),
  context: fc.record(
    {
      ip,
      country: fc.string({ maxLength: 3 }),
      region: fc.constantFrom('eu-west-1', 'us-east-1', 'ap-southeast-1'),
      hour: fc.integer({ min: 0, max: 23 }),
      riskScore: fc.double({ min: 0, max: 100, noNaN: true }),
    },
    { requiredKeys: ['hour', 'riskScore'] },
  ),
});

/**
 * The document read, or undefined when it was refused with an InputError;
 * any other failure is thrown on.
 */
function readOrRefuse(value: unknown): PolicyDocument | undefined {
  try {
    return parsePolicyDocument(value);
  } catch (error) {
    if (isError(error) && error.name === 'InputError') {
      return undefined;
    }
    throw error;
  }
}

/** 'read', 'refused', or the error that was neither. */
function readingOf(value: unknown): string {
  try {
    return readOrRefuse(value) ? 'read' : 'refused';
  } catch (error) {
    return String(error);
  }
}

describe('policy conditions on random policies and requests', () => {
  it('reads any value as a policy document or refuses it with an InputError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), document), value => {
        expect(['read', 'refused']).toContain(readingOf(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('evaluates every request under every accepted policy set without throwing', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        document,
        fc.array(decisionInput, { minLength: 1, maxLength: 5 }),
        (value, inputs) => {
          const read = readOrRefuse(value);
          if (!read) {
            return;
          }
          accepted += 1;
          const set = new CompiledPolicySet(read, 1);
          for (const input of inputs) {
            const evaluation = set.evaluate(input);
            const explained = set.explain(input);

            expect(Object.keys(OUTCOME_STRICTNESS)).toContain(
              evaluation.decision,
            );
            expect(explained.decision).toBe(evaluation.decision);
          }
        },
      ),
      { numRuns: 1500 },
    );

    // Enough random documents pass validation for the property to mean
    // something.
    expect(accepted).toBeGreaterThan(100);
  });

  it('denies by default: no allow without a matching allowing policy', () => {
    fc.assert(
      fc.property(document, decisionInput, (value, input) => {
        const read = readOrRefuse(value);
        if (!read) {
          return;
        }
        const evaluation = new CompiledPolicySet(read, 1).evaluate(input);
        if (evaluation.decision !== 'allow') {
          return;
        }
        const winner = read.policies.find(p => p.id === evaluation.policyId);

        expect(winner?.enabled).not.toBe(false);
        expect(winner?.actions).toContain('allow');
        expect(evaluation.matchedPolicies).toContain(evaluation.policyId);
      }),
      { numRuns: 1500 },
    );
  });

  it('denies every request when no policy decides anything', () => {
    fc.assert(
      fc.property(
        fc.array(policy, { maxLength: 4 }),
        decisionInput,
        (policies, input) => {
          // Only logging and alerting, or disabled: nothing decides.
          const quiet = policies.map(p => ({
            ...p,
            actions: p.actions.filter(a => a === 'log' || a === 'raise_alert'),
          }));
          const read = readOrRefuse({
            policies: quiet.filter(p => p.actions.length > 0),
          });
          if (!read) {
            return;
          }
          const evaluation = new CompiledPolicySet(read, 1).evaluate(input);

          expect(evaluation.decision).toBe('deny');
          expect(evaluation.policyId).toBe(DEFAULT_DENY_POLICY);
        },
      ),
      { numRuns: 500 },
    );
  });
});
