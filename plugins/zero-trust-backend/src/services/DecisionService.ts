import { LoggerService } from '@backstage/backend-plugin-api';
import { StoredDecision, ZeroTrustStore } from '../database/ZeroTrustStore';
import { DecisionInput, DecisionOutcome, PolicyTrace } from '../policy/types';
import { calculateRisk, RiskFactor } from '../risk/calculateRisk';
import { AuditLog } from './AuditLog';
import { BlockService } from './BlockService';
import { PolicyService } from './PolicyService';
import { SecurityEventSender } from './SecurityEventSender';
import { SessionService } from './SessionService';

/** A decision request as the gateway or the portal sends it. */
export interface DecisionRequest {
  subject: {
    user?: string;
    roles?: string[];
    groups?: string[];
    mfa?: boolean;
    deviceId?: string;
    deviceTrusted?: boolean;
    sessionId?: string;
  };
  resource: {
    type?: string;
    service?: string;
    path?: string;
    sensitivity?: string;
  };
  action: string;
  context: {
    country?: string;
    region?: string;
    latitude?: number;
    longitude?: number;
  };
}

export interface Decision {
  decision: DecisionOutcome;
  obligations: string[];
  rateLimitPerMinute?: number;
  riskScore: number;
  riskFactors: RiskFactor[];
  policyId: string;
  policyVersion: number;
  matchedPolicies: string[];
  clientAddress?: string;
  /** Why, when the engine decided before any policy was consulted. */
  reason?: string;
  explanation?: PolicyTrace[];
}

export interface DecisionSettings {
  /** How far back failed logins count towards risk. */
  failureWindowSeconds: number;
  /** How long a replica reuses its snapshot of recent failed logins. */
  factsCacheMs: number;
  /** How long a replica reuses a user's login history. */
  historyCacheMs: number;
  /** Keep allow decisions for dry runs too, not only the others. */
  recordEveryDecision: boolean;
  /** Whether every decision goes out as an event, or only non-allows. */
  eventsForAllows: boolean;
}

const AUDITED: ReadonlySet<DecisionOutcome> = new Set([
  'deny',
  'require_mfa',
  'step_up',
  'block_ip',
]);

const WRITE_INTERVAL_MS = 250;
const MAX_PENDING = 10_000;
const MAX_CACHED = 20_000;

/**
 * Decides requests: the address's block, the session, the risk score, then
 * the compiled policy set. Facts read from the shared store are cached for
 * `factsCacheMs` so that a burst of requests costs one query per key.
 */
export class DecisionService {
  private readonly store: ZeroTrustStore;
  private readonly policies: PolicyService;
  private readonly blocks: BlockService;
  private readonly sessions: SessionService;
  private readonly audit: AuditLog;
  private readonly events: SecurityEventSender;
  private readonly logger: LoggerService;
  private readonly settings: DecisionSettings;
  private failureTotals = {
    byAddress: new Map<string, number>(),
    byUser: new Map<string, number>(),
    atMs: -Infinity,
  };
  private loadingTotals?: Promise<void>;
  private readonly historyCache = new Map<
    string,
    {
      history: Awaited<ReturnType<ZeroTrustStore['successfulLogins']>>;
      atMs: number;
    }
  >();
  private pending: Omit<StoredDecision, 'id'>[] = [];
  private timer?: NodeJS.Timeout;
  private writing?: Promise<void>;

  static create(options: {
    store: ZeroTrustStore;
    policies: PolicyService;
    blocks: BlockService;
    sessions: SessionService;
    audit: AuditLog;
    events: SecurityEventSender;
    logger: LoggerService;
    settings: DecisionSettings;
  }) {
    return new DecisionService(options);
  }

  private constructor(options: {
    store: ZeroTrustStore;
    policies: PolicyService;
    blocks: BlockService;
    sessions: SessionService;
    audit: AuditLog;
    events: SecurityEventSender;
    logger: LoggerService;
    settings: DecisionSettings;
  }) {
    this.store = options.store;
    this.policies = options.policies;
    this.blocks = options.blocks;
    this.sessions = options.sessions;
    this.audit = options.audit;
    this.events = options.events;
    this.logger = options.logger;
    this.settings = options.settings;
  }

  async decide(
    request: DecisionRequest,
    clientAddress: string | undefined,
    options: {
      explain: boolean;
      nowMs?: number;
      /**
       * Decide without consequences: no address blocked, nothing stored,
       * audited or sent as an event. For trying a request from the portal.
       */
      dryRun?: boolean;
    },
  ): Promise<Decision> {
    const nowMs = options.nowMs ?? Date.now();
    const { subject } = request;
    const policySet = this.policies.current;

    const blocked = await this.blocks.isBlocked(clientAddress, nowMs);
    const session = subject.sessionId
      ? await this.sessions
          .lookup(subject.sessionId, nowMs)
          .catch(() => undefined)
      : undefined;
    const mfa = session?.mfa ?? subject.mfa ?? false;

    const [failedAttempts, history] = await Promise.all([
      this.failures(clientAddress, subject.user, nowMs),
      this.history(subject.user, nowMs),
    ]);
    const risk = calculateRisk({
      nowMs,
      failedAttempts,
      blocked,
      mfa,
      deviceId: subject.deviceId,
      country: request.context.country,
      latitude: request.context.latitude,
      longitude: request.context.longitude,
      sensitivity: request.resource.sensitivity,
      history,
    });

    const base = {
      riskScore: risk.score,
      riskFactors: risk.factors,
      policyVersion: policySet.version,
      clientAddress,
    };

    // A blocked address or a dead session is refused before any policy,
    // as Istio runs its CUSTOM checks before DENY and ALLOW.
    if (blocked || (subject.sessionId && session?.status !== 'active')) {
      const decision: Decision = {
        ...base,
        decision: 'deny',
        obligations: [],
        policyId: blocked ? 'blocked-address' : 'invalid-session',
        matchedPolicies: [],
        reason: blocked
          ? `address ${clientAddress} is blocked`
          : `session '${subject.sessionId}' is ${session?.status ?? 'unknown'}`,
        explanation: options.explain ? [] : undefined,
      };
      if (!options.dryRun) {
        this.report(request, decision, nowMs);
      }
      return decision;
    }

    const input: DecisionInput = {
      subject: {
        user: subject.user,
        roles: subject.roles ?? [],
        groups: subject.groups ?? [],
        mfa,
        deviceTrusted: subject.deviceTrusted ?? false,
        sessionAgeSeconds: session?.ageSeconds,
      },
      resource: request.resource,
      action: request.action,
      context: {
        ip: clientAddress,
        country: request.context.country,
        region: request.context.region,
        hour: new Date(nowMs).getUTCHours(),
        riskScore: risk.score,
      },
    };
    const evaluation = options.explain
      ? policySet.explain(input)
      : policySet.evaluate(input);

    const decision: Decision = {
      ...base,
      ...evaluation,
      policyId: evaluation.policyId!,
    };
    if (options.dryRun) {
      return decision;
    }

    if (decision.decision === 'block_ip' && clientAddress) {
      await this.blocks.block(
        clientAddress,
        `policy ${decision.policyId}`,
        nowMs,
      );
    }
    this.record(input, decision, nowMs);
    this.report(request, decision, nowMs);
    return decision;
  }

  /**
   * Recent failed logins of the address or the user, whichever is more.
   * Read as one snapshot of all failures in the window, refreshed every
   * `factsCacheMs`: failures are few next to decisions, so one grouped
   * query serves every decision in between.
   */
  private async failures(
    address: string | undefined,
    user: string | undefined,
    nowMs: number,
  ) {
    if (nowMs - this.failureTotals.atMs > this.settings.factsCacheMs) {
      if (!this.loadingTotals) {
        this.loadingTotals = this.store
          .failureTotals(nowMs - this.settings.failureWindowSeconds * 1000)
          .then(totals => {
            this.failureTotals = { ...totals, atMs: nowMs };
          })
          .finally(() => {
            this.loadingTotals = undefined;
          });
      }
      await this.loadingTotals;
    }
    const { byAddress, byUser } = this.failureTotals;
    return Math.max(
      (address && byAddress.get(address)) || 0,
      (user && byUser.get(user)) || 0,
    );
  }

  private async history(user: string | undefined, nowMs: number) {
    if (!user) {
      return [];
    }
    const cached = this.historyCache.get(user);
    if (cached && nowMs - cached.atMs <= this.settings.historyCacheMs) {
      return cached.history;
    }
    const history = await this.store.successfulLogins(user, 50);
    bounded(this.historyCache).set(user, { history, atMs: nowMs });
    return history;
  }

  /** Keeps the decision for dry runs; written in batches off the request. */
  private record(input: DecisionInput, decision: Decision, nowMs: number) {
    if (!this.settings.recordEveryDecision && decision.decision === 'allow') {
      return;
    }
    if (this.pending.length < MAX_PENDING) {
      this.pending.push({
        atMs: nowMs,
        policyVersion: decision.policyVersion,
        decision: decision.decision,
        policyId: decision.policyId,
        riskScore: decision.riskScore,
        input,
      });
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.writing = this.writePending();
      }, WRITE_INTERVAL_MS);
      this.timer.unref?.();
    }
  }

  private async writePending() {
    const batch = this.pending;
    this.pending = [];
    try {
      await this.store.addDecisions(batch);
    } catch (error) {
      this.logger.warn('Decisions not stored for dry runs', {
        decisions: batch.length,
        error: String(error),
      });
    }
  }

  /** Writes what is pending; for tests and shutdown. */
  async flush() {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    await this.writePending();
  }

  private report(request: DecisionRequest, decision: Decision, nowMs: number) {
    const user = request.subject.user;
    if (AUDITED.has(decision.decision)) {
      this.audit.append(
        'decision',
        {
          decision: decision.decision,
          policyId: decision.policyId,
          policyVersion: decision.policyVersion,
          riskScore: decision.riskScore,
          user,
          clientAddress: decision.clientAddress,
          action: request.action,
          resource: request.resource,
          reason: decision.reason,
        },
        nowMs,
      );
    }
    if (decision.decision === 'allow' && !this.settings.eventsForAllows) {
      return;
    }
    const alert = decision.obligations.includes('alert');
    this.events.emit(
      'security.decision',
      `${decision.decision} ${request.action} for ${user ?? 'anonymous'} by ${
        decision.policyId
      }`,
      {
        'security.decision': decision.decision,
        'security.risk_score': decision.riskScore,
        'security.policy.id': decision.policyId,
        'client.address': decision.clientAddress,
        'user.name': user,
      },
      {
        severity: alert || decision.decision !== 'allow' ? 'WARN' : 'INFO',
        atMs: nowMs,
      },
    );
  }
}

function bounded<K, V>(map: Map<K, V>) {
  if (map.size >= MAX_CACHED) {
    map.clear();
  }
  return map;
}
