import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { parseDuration } from './durations';
import { SEVERITIES, Severity } from './types';

/** The series the engine derives and a rule may put a threshold on. */
export const SERIES_KINDS = [
  'request_rate',
  'error_rate',
  'p95',
  'availability',
  'security_events',
  'business_kpi',
] as const;

export type SeriesKind = (typeof SERIES_KINDS)[number];

export const OPERATORS = ['>', '>=', '<', '<='] as const;

export type Operator = (typeof OPERATORS)[number];

export interface RuleScope {
  service?: string;
  region?: string;
  route?: string;
}

/** A threshold rule as written in config or sent to the API. */
export interface RuleDefinition {
  id: string;
  series: SeriesKind;
  /** For `security_events`: the log records' event name. */
  eventName?: string;
  /** For `business_kpi`: the KPI's name in the metrics store. */
  kpi?: string;
  window: string;
  operator: Operator;
  threshold: number;
  for?: string;
  severity: Severity;
  labels?: Record<string, string>;
  scope?: RuleScope;
  summary?: string;
}

/** A rule ready to evaluate, with its durations in milliseconds. */
export interface ThresholdRule {
  kind: 'threshold';
  id: string;
  source: 'config' | 'api';
  definition: RuleDefinition;
  windowMs: number;
  forMs: number;
}

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, {
  message: 'label names are letters, digits and underscores',
});

const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
      message: 'ids are 1 to 63 lower-case letters, digits and dashes',
    }),
    series: z.enum(SERIES_KINDS),
    eventName: z.string().min(1).max(255).optional(),
    kpi: z.string().min(1).max(255).optional(),
    window: z.string(),
    operator: z.enum(OPERATORS),
    threshold: z.number().refine(Number.isFinite, 'must be a finite number'),
    for: z.string().optional(),
    severity: z.enum(SEVERITIES as [Severity, ...Severity[]]),
    labels: z.record(labelName, z.string().max(1024)).optional(),
    scope: z
      .object({
        service: z.string().min(1).max(255).optional(),
        region: z.string().max(64).optional(),
        route: z.string().min(1).max(1024).optional(),
      })
      .strict()
      .optional(),
    summary: z.string().max(1024).optional(),
  })
  .strict();

/**
 * Checks a rule and works out its durations. Every problem is an
 * InputError that names the field and the value it got.
 */
export function parseRule(
  input: unknown,
  source: ThresholdRule['source'],
): ThresholdRule {
  const parsed = ruleSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'rule';
    const got = issue.path.reduce<any>(
      (value, key) =>
        value === null || value === undefined ? value : value[key],
      input,
    );
    const shown = got === undefined ? '' : `, got ${JSON.stringify(got)}`;
    throw new InputError(
      `Invalid rule field '${field}': ${issue.message}${shown}`,
    );
  }
  const definition = parsed.data as RuleDefinition;

  if (definition.series === 'security_events' && !definition.eventName) {
    throw new InputError(
      `Invalid rule field 'eventName': a security_events rule needs the event name, such as auth.login.failed`,
    );
  }
  if (definition.series === 'business_kpi' && !definition.kpi) {
    throw new InputError(
      `Invalid rule field 'kpi': a business_kpi rule needs the KPI's name`,
    );
  }

  const windowMs = parseDuration(definition.window, "rule field 'window'");
  const forMs = definition.for
    ? parseDuration(definition.for, "rule field 'for'")
    : 0;
  if (windowMs > 30 * 86_400_000) {
    throw new InputError(
      `Invalid rule field 'window': at most 30d, got '${definition.window}'`,
    );
  }

  return {
    kind: 'threshold',
    id: definition.id,
    source,
    definition,
    windowMs,
    forMs,
  };
}

export function breaches(value: number, operator: Operator, threshold: number) {
  switch (operator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    default:
      return value <= threshold;
  }
}
