import { locate, ManifestFinding, ManifestResource } from './types';

type Rule = { name?: string; match?: Array<Record<string, unknown>> };

/**
 * A match as routing sees it: its `name` only labels it, and key order
 * means nothing, so both are left out of the comparison.
 */
function routingKey(match: Record<string, unknown>): string {
  const { name: _name, ...routing } = match ?? {};
  return stableJson(routing);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(stableJson).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(
        key =>
          `${JSON.stringify(key)}:${stableJson(
            (value as Record<string, unknown>)[key],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** How Istio names a rule or a match in its messages: name, else `#n`. */
function label(item: { name?: unknown } | undefined, index: number): string {
  return typeof item?.name === 'string' && item.name ? item.name : `#${index}`;
}

function analyzeRules(
  virtualService: ManifestResource,
  protocol: 'http' | 'tcp' | 'tls',
): ManifestFinding[] {
  const rules: Rule[] = virtualService.object.spec?.[protocol] ?? [];
  const findings: ManifestFinding[] = [];
  const firstRuleOf = new Map<string, number>();
  let catchAll = -1;

  rules.forEach((rule, i) => {
    if (!rule) {
      return;
    }
    const ruleLabel = label(rule, i);
    const matches = rule.match ?? [];

    // A rule without matches takes all traffic that reaches it, so any
    // later rule without matches never sees a request.
    if (matches.length === 0) {
      if (catchAll >= 0) {
        findings.push({
          ...locate(virtualService),
          field: `spec.${protocol}[${i}]`,
          code: 'IST0130',
          level: 'Warning',
          message: `VirtualService rule ${ruleLabel} not used (only the last rule can have no matches).`,
        });
      }
      catchAll = i;
      return;
    }

    let duplicates = 0;
    matches.forEach((match, j) => {
      const key = routingKey(match);
      const earlier = firstRuleOf.get(key);
      if (earlier === undefined) {
        firstRuleOf.set(key, i);
        return;
      }
      duplicates += 1;
      findings.push({
        ...locate(virtualService),
        field: `spec.${protocol}[${i}].match[${j}]`,
        code: 'IST0131',
        level: 'Info',
        message: `VirtualService rule ${ruleLabel} match ${label(
          match,
          j,
        )} is not used (duplicate/overlapping match in rule ${earlier}).`,
      });
    });
    if (duplicates === matches.length) {
      findings.push({
        ...locate(virtualService),
        field: `spec.${protocol}[${i}]`,
        code: 'IST0130',
        level: 'Warning',
        message: `VirtualService rule ${ruleLabel} not used (all matches used by prior rules).`,
      });
    }
  });
  return findings;
}

/**
 * Istio's checks of a VirtualService's own rules, per protocol: a rule
 * whose every match an earlier rule already takes, or a second rule
 * without matches, is never used (IST0130); a single match an earlier rule
 * already takes is ineffective (IST0131). Matches compare equal when they
 * differ only in their name.
 *
 * @internal
 */
export function analyzeRouteMatches(
  virtualService: ManifestResource,
): ManifestFinding[] {
  return (['http', 'tcp', 'tls'] as const).flatMap(protocol =>
    analyzeRules(virtualService, protocol),
  );
}
