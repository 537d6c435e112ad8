import { Condition } from '../../api';

export function formatTimeMs(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** A value as it appears in a condition: strings bare, lists bracketed. */
export function valueText(value: unknown): string {
  if (value === undefined) {
    return '(missing)';
  }
  if (typeof value === 'string') {
    return value;
  }
  return JSON.stringify(value);
}

/** A condition tree as one line of text, with brackets around groups. */
export function conditionText(condition: Condition): string {
  if ('all' in condition) {
    return condition.all.map(c => groupText(c)).join(' AND ');
  }
  if ('any' in condition) {
    return condition.any.map(c => groupText(c)).join(' OR ');
  }
  if ('not' in condition) {
    return `NOT ${groupText(condition.not)}`;
  }
  return `${condition.field} ${condition.operator} ${valueText(
    condition.value,
  )}`;
}

function groupText(condition: Condition): string {
  const text = conditionText(condition);
  return 'field' in condition ? text : `(${text})`;
}
