/** What a policy does when its conditions hold. */
export const POLICY_ACTIONS = [
  'allow',
  'deny',
  'require_mfa',
  'step_up',
  'rate_limit',
  'block_ip',
  'log',
  'raise_alert',
] as const;

export type PolicyAction = (typeof POLICY_ACTIONS)[number];

/** The outcome of a decision; `log` and `raise_alert` only add obligations. */
export type DecisionOutcome =
  | 'allow'
  | 'deny'
  | 'require_mfa'
  | 'step_up'
  | 'rate_limit'
  | 'block_ip';

/**
 * How strict each outcome is: at one priority the strictest matching
 * policy wins, so deny beats allow, as a DENY AuthorizationPolicy beats an
 * ALLOW one in Istio.
 */
export const OUTCOME_STRICTNESS: Record<DecisionOutcome, number> = {
  allow: 0,
  require_mfa: 1,
  step_up: 2,
  rate_limit: 3,
  deny: 4,
  block_ip: 5,
};

export const OPERATORS = [
  'equals',
  'not_equals',
  'in',
  'not_in',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'matches',
  'in_cidr',
  'not_in_cidr',
] as const;

export type Operator = (typeof OPERATORS)[number];

export type FieldType = 'string' | 'number' | 'boolean' | 'string[]' | 'ip';

/**
 * The attributes a condition can test, with their types; `DecisionInput`
 * carries them after the request has been enriched with risk and session
 * facts.
 */
export const FIELDS = {
  'subject.user': 'string',
  'subject.roles': 'string[]',
  'subject.groups': 'string[]',
  'subject.mfa': 'boolean',
  'subject.deviceTrusted': 'boolean',
  'subject.sessionAgeSeconds': 'number',
  'resource.type': 'string',
  'resource.service': 'string',
  'resource.path': 'string',
  'resource.sensitivity': 'string',
  action: 'string',
  'context.ip': 'ip',
  'context.country': 'string',
  'context.region': 'string',
  'context.hour': 'number',
  'context.riskScore': 'number',
} as const satisfies Record<string, FieldType>;

export type FieldName = keyof typeof FIELDS;

/** Which operators make sense on which type of field. */
export const OPERATORS_BY_TYPE: Record<FieldType, readonly Operator[]> = {
  string: ['equals', 'not_equals', 'in', 'not_in', 'contains', 'matches'],
  number: ['equals', 'not_equals', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte'],
  boolean: ['equals', 'not_equals'],
  'string[]': ['contains', 'in', 'not_in'],
  ip: ['equals', 'not_equals', 'in', 'not_in', 'in_cidr', 'not_in_cidr'],
};

export type ConditionValue = string | number | boolean | (string | number)[];

export type Condition =
  | { field: FieldName; operator: Operator; value: ConditionValue }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export interface Policy {
  id: string;
  description?: string;
  priority: number;
  enabled: boolean;
  conditions: Condition;
  actions: PolicyAction[];
  /** For rate_limit: what the gateway should allow per minute. */
  rateLimitPerMinute?: number;
}

export interface PolicyDocument {
  policies: Policy[];
}

/** The facts a decision is evaluated against, one value per field. */
export interface DecisionInput {
  subject: {
    user?: string;
    roles: string[];
    groups: string[];
    mfa: boolean;
    deviceTrusted: boolean;
    sessionAgeSeconds?: number;
  };
  resource: {
    type?: string;
    service?: string;
    path?: string;
    sensitivity?: string;
  };
  action: string;
  context: {
    ip?: string;
    country?: string;
    region?: string;
    hour: number;
    riskScore: number;
  };
}

/** One line of an explanation: a condition, what it saw, and its result. */
export interface ConditionTrace {
  path: string;
  field: string;
  operator: Operator;
  expected: ConditionValue;
  actual: unknown;
  result: boolean;
}

export interface PolicyTrace {
  policyId: string;
  priority: number;
  actions: PolicyAction[];
  matched: boolean;
  conditions: ConditionTrace[];
}

export interface Evaluation {
  decision: DecisionOutcome;
  /** The policy that decided; undefined when nothing matched (default deny). */
  policyId?: string;
  matchedPolicies: string[];
  obligations: string[];
  rateLimitPerMinute?: number;
}

export interface ExplainedEvaluation extends Evaluation {
  explanation: PolicyTrace[];
}
