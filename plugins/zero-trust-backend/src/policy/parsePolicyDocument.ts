import { InputError } from '@backstage/errors';
import * as ipaddr from 'ipaddr.js';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import {
  Condition,
  FieldName,
  FIELDS,
  OPERATORS,
  Operator,
  OPERATORS_BY_TYPE,
  POLICY_ACTIONS,
  PolicyDocument,
} from './types';
import { RE2JS } from 're2js';

type Path = (string | number)[];

/** `['policies', 3, 'conditions']` → `policies[3].conditions`. */
export function formatPath(path: readonly PropertyKey[]) {
  return path
    .map((part, index) => {
      if (typeof part === 'number') {
        return `[${part}]`;
      }
      return index === 0 ? String(part) : `.${String(part)}`;
    })
    .join('');
}

const quote = (value: unknown) =>
  typeof value === 'string' ? `'${value}'` : JSON.stringify(value);

/**
 * Checks one condition node and its children; a hand-written walk because
 * the message must name the node that is wrong, which a recursive union's
 * generic "no variant matched" does not.
 */
function checkCondition(
  node: unknown,
  path: Path,
  report: (path: Path, message: string) => void,
) {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    report(path, 'a condition must be an object');
    return;
  }
  const keys = Object.keys(node);
  const record = node as Record<string, unknown>;

  for (const combinator of ['all', 'any'] as const) {
    if (combinator in record) {
      if (keys.length !== 1) {
        report(path, `'${combinator}' must stand alone in its object`);
      }
      const children = record[combinator];
      if (!Array.isArray(children) || children.length === 0) {
        report([...path, combinator], 'must be a non-empty list');
        return;
      }
      children.forEach((child, i) =>
        checkCondition(child, [...path, combinator, i], report),
      );
      return;
    }
  }
  if ('not' in record) {
    if (keys.length !== 1) {
      report(path, `'not' must stand alone in its object`);
    }
    checkCondition(record.not, [...path, 'not'], report);
    return;
  }

  const extra = keys.filter(k => !['field', 'operator', 'value'].includes(k));
  if (extra.length > 0) {
    report([...path, extra[0]], `unknown key '${extra[0]}'`);
  }
  const { field, operator, value } = record;
  if (typeof field !== 'string' || !(field in FIELDS)) {
    report(
      [...path, 'field'],
      `unknown field ${quote(field)}; known fields: ${Object.keys(FIELDS).join(
        ', ',
      )}`,
    );
    return;
  }
  if (
    typeof operator !== 'string' ||
    !OPERATORS.includes(operator as Operator)
  ) {
    report([...path, 'operator'], `unknown operator ${quote(operator)}`);
    return;
  }
  const type = FIELDS[field as FieldName];
  if (!OPERATORS_BY_TYPE[type].includes(operator as Operator)) {
    report(
      [...path, 'operator'],
      `operator '${operator}' does not apply to ${field} (${type})`,
    );
    return;
  }
  checkValue(field as FieldName, operator as Operator, value, path, report);
}

function checkValue(
  field: FieldName,
  operator: Operator,
  value: unknown,
  path: Path,
  report: (path: Path, message: string) => void,
) {
  const at = [...path, 'value'];
  const type = FIELDS[field];
  const scalar = type === 'number' ? 'number' : 'string';

  if (operator === 'in' || operator === 'not_in') {
    if (
      !Array.isArray(value) ||
      value.some(v => typeof v !== scalar || v === '')
    ) {
      report(
        at,
        `'${operator}' needs a list of ${scalar}s, got ${quote(value)}`,
      );
    }
    if (type === 'ip' && Array.isArray(value)) {
      const bad = value.find(v => !ipaddr.isValid(String(v)));
      if (bad !== undefined) {
        report(at, `${quote(bad)} is not an IP address`);
      }
    }
    return;
  }
  if (operator === 'in_cidr' || operator === 'not_in_cidr') {
    const ranges = Array.isArray(value) ? value : [value];
    const bad = ranges.find(r => {
      try {
        ipaddr.parseCIDR(String(r));
        return typeof r !== 'string';
      } catch {
        return true;
      }
    });
    if (bad !== undefined || ranges.length === 0) {
      report(at, `${quote(bad ?? value)} is not a CIDR range`);
    }
    return;
  }
  if (operator === 'matches') {
    // RE2 syntax, not JavaScript's: RE2 matches in time linear in the input,
    // so a pattern in a policy cannot stall decisions by backtracking, and
    // the look-arounds and back-references that need backtracking are
    // refused here with RE2's reason.
    try {
      if (typeof value !== 'string') {
        throw new Error('not a string');
      }
      RE2JS.compile(value);
    } catch (error) {
      report(
        at,
        `${quote(value)} is not a regular expression (RE2 syntax): ${
          (error as Error).message
        }`,
      );
    }
    return;
  }
  if (type === 'boolean' && typeof value !== 'boolean') {
    report(at, `${field} is true or false, got ${quote(value)}`);
    return;
  }
  if (type === 'number' && typeof value !== 'number') {
    report(at, `${field} is a number, got ${quote(value)}`);
    return;
  }
  if ((type === 'string' || type === 'string[]') && typeof value !== 'string') {
    report(at, `${field} compares with a string, got ${quote(value)}`);
    return;
  }
  if (type === 'ip' && !ipaddr.isValid(String(value))) {
    report(at, `${quote(value)} is not an IP address`);
  }
}

const policySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, {
      message: 'an id is lowercase letters, digits and dashes',
    }),
    description: z.string().max(1000).optional(),
    priority: z.number().int().min(0).max(1_000_000),
    enabled: z.boolean().default(true),
    conditions: z.unknown(),
    actions: z
      .array(
        z.enum(POLICY_ACTIONS, {
          error: issue => `unknown action ${quote(issue.input)}`,
        }),
      )
      .min(1),
    rateLimitPerMinute: z.number().int().positive().optional(),
  })
  .strict();

const documentSchema = z
  .object({ policies: z.array(policySchema).max(10_000) })
  .strict();

/**
 * The checks a schema cannot express: conditions, unique ids, one deciding
 * action. They run on the raw value even when the schema failed elsewhere,
 * so that one run reports every problem.
 */
function semanticProblems(value: unknown): string[] {
  const problems: string[] = [];
  const report = (path: Path, message: string) =>
    problems.push(`${formatPath(path)}: ${message}`);
  const policies = (value as { policies?: unknown })?.policies;
  if (!Array.isArray(policies)) {
    return problems;
  }

  const seen = new Map<unknown, number>();
  policies.forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null) {
      return;
    }
    const policy = raw as Record<string, unknown>;
    if (typeof policy.id === 'string') {
      if (seen.has(policy.id)) {
        report(
          ['policies', i, 'id'],
          `duplicate id '${policy.id}' (also policies[${seen.get(policy.id)}])`,
        );
      }
      seen.set(policy.id, i);
    }
    checkCondition(policy.conditions, ['policies', i, 'conditions'], report);

    const actions = Array.isArray(policy.actions) ? policy.actions : [];
    const decisive = actions.filter(
      a => a !== 'log' && a !== 'raise_alert' && POLICY_ACTIONS.includes(a),
    );
    if (decisive.length > 1) {
      report(
        ['policies', i, 'actions'],
        `a policy decides once; it lists ${decisive.join(', ')}`,
      );
    }
    if (actions.includes('rate_limit') && !policy.rateLimitPerMinute) {
      report(
        ['policies', i, 'rateLimitPerMinute'],
        'rate_limit needs rateLimitPerMinute',
      );
    }
  });
  return problems;
}

/** The validation problems of a document, each as `path: message`. */
export function validatePolicyDocument(value: unknown): string[] {
  const parsed = documentSchema.safeParse(value);
  const structural = parsed.success
    ? []
    : parsed.error.issues.map(
        issue => `${formatPath(issue.path) || '(document)'}: ${issue.message}`,
      );
  return [...structural, ...semanticProblems(value)];
}

/** Validates a policy document, throwing an InputError listing every problem. */
export function parsePolicyDocument(value: unknown): PolicyDocument {
  const problems = validatePolicyDocument(value);
  if (problems.length > 0) {
    throw new InputError(`Invalid policy document: ${problems.join('; ')}`);
  }
  const parsed = documentSchema.parse(value);
  return {
    policies: parsed.policies.map(p => ({
      ...p,
      conditions: p.conditions as Condition,
    })),
  };
}

/** Parses the YAML text of a policy file, e.g. the platform's. */
export function parsePolicyYaml(text: string, source: string) {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    const where =
      error instanceof YAMLParseError && error.linePos
        ? ` at line ${error.linePos[0].line}`
        : '';
    throw new InputError(`${source} is not valid YAML${where}`, error);
  }
  try {
    return parsePolicyDocument(value);
  } catch (error) {
    throw new InputError(`${source}: ${(error as Error).message}`);
  }
}
