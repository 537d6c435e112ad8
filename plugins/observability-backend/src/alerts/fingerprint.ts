import { createHash } from 'node:crypto';
import { RE2JS } from 're2js';
import { Silence } from './types';

/** The identity of an alert: its rule and its labels, in a stable order. */
export function fingerprintOf(ruleId: string, labels: Record<string, string>) {
  const sorted = Object.keys(labels)
    .sort()
    .map(key => [key, labels[key]]);
  return createHash('sha256')
    .update(JSON.stringify([ruleId, sorted]))
    .digest('hex');
}

/** Whether every matcher of the silence matches the labels. */
export function silences(silence: Silence, labels: Record<string, string>) {
  return silence.matchers.every(matcher => {
    const value = labels[matcher.name] ?? '';
    return matcher.isRegex
      ? // RE2, as Alertmanager's matchers: linear time, no backtracking.
        RE2JS.matches(`(?:${matcher.value})`, value)
      : value === matcher.value;
  });
}

export function activeSilences(all: Silence[], nowMs: number) {
  return all.filter(s => s.startsAtMs <= nowMs && nowMs < s.endsAtMs);
}
