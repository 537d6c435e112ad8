import { SecurityEventStore } from '../database/SecurityEventStore';
import { describeWindow, resolveWindow, WindowQuery } from './window';

/**
 * The security events the engine reads from log records, by event name
 * (OTLP eventName, or the attribute event.name). The zero-trust engine
 * sends them; the README gives each one's attributes.
 */
export const SECURITY_EVENTS = {
  loginSucceeded: 'auth.login.succeeded',
  loginFailed: 'auth.login.failed',
  threatDetected: 'security.threat.detected',
  ipBlocked: 'security.ip.blocked',
  ipUnblocked: 'security.ip.unblocked',
  decision: 'security.decision',
} as const;

export const THREAT_TYPES = [
  'brute_force',
  'credential_stuffing',
  'impossible_travel',
  'volume_anomaly',
] as const;

export const DECISIONS = [
  'allow',
  'deny',
  'require_mfa',
  'step_up',
  'rate_limit',
  'block_ip',
] as const;

/** Risk score ranges: each takes its lower bound, the last also 100. */
const RISK_BUCKETS = [0, 20, 40, 60, 80];

export interface BlockedIp {
  address: string;
  blockedAt: string;
  /** When the block lapses; null for a block without expiry. */
  expiresAt: string | null;
  reason: string | null;
}

export interface SecurityDashboard {
  from: string;
  to: string;
  authentication: {
    attempts: number;
    succeeded: number;
    failed: number;
    /** Null when there was no attempt. */
    successRate: number | null;
  };
  threats: {
    total: number;
    byType: Array<{ type: string; count: number }>;
  };
  /** Addresses blocked at the end of the window. */
  blockedIps: BlockedIp[];
  policyViolations: {
    total: number;
    byPolicy: Array<{ policyId: string; count: number }>;
  };
  decisions: Array<{ decision: string; count: number }>;
  riskScores: Array<{ range: string; count: number }>;
}

/**
 * The security dashboard: authentication, threats, blocked addresses,
 * policy decisions and risk, from the security events in the logs.
 */
export class SecurityDashboardService {
  private readonly store: SecurityEventStore;

  static create(options: { store: SecurityEventStore }) {
    return new SecurityDashboardService(options.store);
  }

  private constructor(store: SecurityEventStore) {
    this.store = store;
  }

  /** The dashboard of a window, by default the last hour. */
  async dashboard(query: WindowQuery): Promise<SecurityDashboard> {
    const window = resolveWindow(query);
    const [logins, threats, decisions, blocks] = await Promise.all([
      this.store.countEvents(
        [SECURITY_EVENTS.loginSucceeded, SECURITY_EVENTS.loginFailed],
        window,
      ),
      this.store.groupEvents(
        SECURITY_EVENTS.threatDetected,
        ['security.threat.type'],
        window,
      ),
      this.store.groupEvents(
        SECURITY_EVENTS.decision,
        ['security.decision', 'security.risk_score', 'security.policy.id'],
        window,
      ),
      // Every block and unblock up to the window's end: a block from before
      // the window can still hold at its end.
      this.store.eventsBefore(
        [SECURITY_EVENTS.ipBlocked, SECURITY_EVENTS.ipUnblocked],
        window.toMs,
      ),
    ]);

    const succeeded = logins[SECURITY_EVENTS.loginSucceeded] ?? 0;
    const failed = logins[SECURITY_EVENTS.loginFailed] ?? 0;
    const attempts = succeeded + failed;

    const threatCounts = new Map<string, number>();
    for (const group of threats) {
      const type = group.values['security.threat.type'] ?? 'unknown';
      threatCounts.set(type, (threatCounts.get(type) ?? 0) + group.count);
    }

    const decisionCounts = new Map<string, number>();
    const violations = new Map<string, number>();
    const riskCounts = RISK_BUCKETS.map(() => 0);
    for (const group of decisions) {
      const decision = group.values['security.decision'] ?? 'unknown';
      decisionCounts.set(
        decision,
        (decisionCounts.get(decision) ?? 0) + group.count,
      );
      if (decision === 'deny') {
        const policy = group.values['security.policy.id'] ?? 'unknown';
        violations.set(policy, (violations.get(policy) ?? 0) + group.count);
      }
      const bucket = riskBucket(group.values['security.risk_score']);
      if (bucket !== undefined) {
        riskCounts[bucket] += group.count;
      }
    }

    return {
      ...describeWindow(window),
      authentication: {
        attempts,
        succeeded,
        failed,
        successRate: attempts ? succeeded / attempts : null,
      },
      threats: {
        total: sum(threatCounts.values()),
        byType: sorted(threatCounts).map(([type, count]) => ({ type, count })),
      },
      blockedIps: blockedAt(blocks, window.toMs),
      policyViolations: {
        total: sum(violations.values()),
        byPolicy: sorted(violations).map(([policyId, count]) => ({
          policyId,
          count,
        })),
      },
      decisions: sorted(decisionCounts).map(([decision, count]) => ({
        decision,
        count,
      })),
      riskScores: RISK_BUCKETS.map((low, i) => ({
        range: `${low}-${low + 20}`,
        count: riskCounts[i],
      })),
    };
  }
}

/**
 * The addresses whose last block or unblock before the time was a block
 * that had not yet expired. A block whose expiry is not a valid time is
 * taken to hold until it is lifted.
 */
function blockedAt(
  events: Array<{
    eventName: string;
    timeUs: number;
    attributes: Record<string, unknown>;
  }>,
  atMs: number,
): BlockedIp[] {
  const last = new Map<string, (typeof events)[number]>();
  for (const event of events) {
    const address = event.attributes['client.address'];
    if (typeof address === 'string' && address) {
      last.set(address, event);
    }
  }

  const blocked: BlockedIp[] = [];
  for (const [address, event] of last) {
    if (event.eventName !== SECURITY_EVENTS.ipBlocked) {
      continue;
    }
    const expiry = event.attributes['security.block.expires_at'];
    const expiresMs = typeof expiry === 'string' ? Date.parse(expiry) : NaN;
    if (!Number.isNaN(expiresMs) && expiresMs <= atMs) {
      continue;
    }
    const reason = event.attributes['security.block.reason'];
    blocked.push({
      address,
      blockedAt: new Date(Math.floor(event.timeUs / 1000)).toISOString(),
      expiresAt: Number.isNaN(expiresMs)
        ? null
        : new Date(expiresMs).toISOString(),
      reason: typeof reason === 'string' ? reason : null,
    });
  }
  return blocked.sort((a, b) => a.address.localeCompare(b.address));
}

/** The bucket of a risk score: an integer from 0 to 100, else none. */
function riskBucket(text: string | null) {
  const score = Number(text);
  if (text === null || !Number.isInteger(score) || score < 0 || score > 100) {
    return undefined;
  }
  return Math.min(Math.floor(score / 20), RISK_BUCKETS.length - 1);
}

function sum(values: Iterable<number>) {
  let total = 0;
  for (const value of values) {
    total += value;
  }
  return total;
}

/** Largest count first, then by name, for a stable order. */
function sorted(counts: Map<string, number>) {
  return [...counts.entries()].sort(
    ([a, x], [b, y]) => y - x || a.localeCompare(b),
  );
}
