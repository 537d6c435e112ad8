/*
 * The pure part of scripts/audit-deps.mjs: what `yarn npm audit --json`
 * printed, and its exit status, turned into the lines the script prints and
 * the exit code it ends with. Kept free of processes and I/O so the reading
 * is one function a test can reach through the script with a stand-in yarn.
 */

/**
 * Sorts yarn's output. Yarn 4 prints each advisory as one JSON line,
 * `{"value": <package>, "children": {ID, Issue, URL, Severity, ...}}`;
 * anything else is its own report (errors included).
 */
export function readAuditOutput(output, status) {
  const advisories = [];
  const messages = [];
  for (const line of output.split('\n').filter(Boolean)) {
    try {
      const entry = JSON.parse(line);
      if (entry?.value && entry?.children) {
        advisories.push(entry);
        continue;
      }
    } catch {
      // Not an advisory line.
    }
    messages.push(line);
  }

  if (advisories.length > 0) {
    return { verdict: 'advisories', advisories };
  }
  if (status !== 0) {
    // With --json Yarn reports a failed request by crashing with its own
    // source in the message: only the status and Yarn's own lines are kept.
    const refusal = /Response code (\d+ \([^)]*\))/i.exec(output);
    return {
      verdict: refusal ? 'refused' : 'failed',
      refusal: refusal?.[1],
      status,
      yarnLines: messages.filter(m => m.startsWith('➤')),
    };
  }
  return { verdict: 'clean' };
}

/**
 * The lines to print and the exit code: 1 for advisories, 2 when no audit
 * answer came (an audit that did not run must not read as clean), 0 clean.
 */
export function describeAudit(reading) {
  switch (reading.verdict) {
    case 'advisories':
      return {
        exitCode: 1,
        lines: [
          ...reading.advisories.map(
            ({ value, children }) =>
              `${children.Severity ?? 'unknown'}: ${value} ` +
              `${children.Issue ?? ''} (${children.URL ?? 'no URL'}), ` +
              `vulnerable ${children['Vulnerable Versions'] ?? '?'}, ` +
              `patched ${children['Patched Versions'] ?? '?'}`,
          ),
          `${reading.advisories.length} high or critical advisories`,
        ],
      };
    case 'refused':
      return {
        exitCode: 2,
        lines: [
          ...reading.yarnLines,
          `The registry refused the audit request with ${reading.refusal}: ` +
            `no audit was done, so nothing is reported as clean.`,
        ],
      };
    case 'failed':
      return {
        exitCode: 2,
        lines: [
          ...reading.yarnLines,
          `yarn npm audit failed (exit ${reading.status}) without advisories.`,
        ],
      };
    default:
      return {
        exitCode: 0,
        lines: ['No high or critical advisory in production dependencies'],
      };
  }
}
