import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { randomUUID } from 'node:crypto';
import { AlertEvaluator } from './AlertEvaluator';
import { AlertFilter, AlertStore } from './database/AlertStore';
import { parseDuration } from './durations';
import { activeSilences, silences } from './fingerprint';
import { alertUpdatePermission } from './permissions';
import { RuleRegistry } from './RuleRegistry';
import { Alert, Silence, SilenceMatcher } from './types';
import { RE2JS } from 're2js';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/** An alert as the API shows it: times in RFC 3339. */
function present(alert: Alert, active: Silence[]) {
  const iso = (ms?: number) =>
    ms === undefined ? undefined : new Date(ms).toISOString();
  return {
    id: alert.id,
    fingerprint: alert.fingerprint,
    occurrence: alert.occurrence,
    ruleId: alert.ruleId,
    severity: alert.severity,
    service: alert.service,
    region: alert.region,
    labels: alert.labels,
    annotations: alert.annotations,
    state: alert.state,
    value: alert.value,
    startsAt: iso(alert.startsAtMs),
    lastEvaluatedAt: iso(alert.lastEvaluatedAtMs),
    acknowledgedAt: iso(alert.acknowledgedAtMs),
    acknowledgedBy: alert.acknowledgedBy,
    acknowledgeComment: alert.acknowledgeComment,
    resolvedAt: iso(alert.resolvedAtMs),
    resolvedBy: alert.resolvedBy,
    resolveReason: alert.resolveReason,
    silencedBy:
      alert.state === 'resolved'
        ? []
        : active.filter(s => silences(s, alert.labels)).map(s => s.id),
  };
}

function presentSilence(silence: Silence, nowMs: number) {
  return {
    id: silence.id,
    matchers: silence.matchers,
    comment: silence.comment,
    createdBy: silence.createdBy,
    createdAt: new Date(silence.createdAtMs).toISOString(),
    startsAt: new Date(silence.startsAtMs).toISOString(),
    endsAt: new Date(silence.endsAtMs).toISOString(),
    state: silenceState(silence, nowMs),
  };
}

function silenceState(silence: Silence, nowMs: number) {
  if (nowMs < silence.startsAtMs) {
    return 'pending';
  }
  return nowMs < silence.endsAtMs ? 'active' : 'expired';
}

/** Mean of the numbers, or null when there are none. */
function mean(values: number[]) {
  return values.length === 0
    ? null
    : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * What people do with alerts: read them, acknowledge and resolve them,
 * silence them, manage rules, and read the history with MTTA and MTTR.
 * Every change needs the `observability.alert.update` permission and is
 * recorded with the user's entity ref.
 */
export class AlertService {
  constructor(
    private readonly options: {
      store: AlertStore;
      rules: RuleRegistry;
      evaluator: AlertEvaluator;
      permissions: PermissionsService;
    },
  ) {}

  get rules() {
    return this.options.rules;
  }

  async list(filter: AlertFilter, nowMs = Date.now()) {
    const { store } = this.options;
    const [page, all] = await Promise.all([
      store.listAlerts(filter),
      store.listSilences(),
    ]);
    const active = activeSilences(all, nowMs);
    return {
      alerts: page.alerts.map(a => present(a, active)),
      total: page.total,
      offset: filter.offset,
      limit: filter.limit,
    };
  }

  async get(id: string, nowMs = Date.now()) {
    const alert = await this.options.store.getAlert(id);
    if (!alert) {
      throw new NotFoundError(`No alert '${id}'`);
    }
    const active = activeSilences(
      await this.options.store.listSilences(),
      nowMs,
    );
    return present(alert, active);
  }

  /** Open alerts grouped by service and region, most urgent first. */
  async groups(nowMs = Date.now()) {
    const { store } = this.options;
    const [open, all] = await Promise.all([
      store.openAlerts(),
      store.listSilences(),
    ]);
    const active = activeSilences(all, nowMs);
    const groups = new Map<
      string,
      { service: string; region: string; alerts: Alert[] }
    >();
    for (const alert of open) {
      const key = `${alert.service}@${alert.region}`;
      const group = groups.get(key) ?? {
        service: alert.service,
        region: alert.region,
        alerts: [],
      };
      group.alerts.push(alert);
      groups.set(key, group);
    }
    return {
      groups: [...groups.values()]
        .sort(
          (a, b) =>
            b.alerts.length - a.alerts.length ||
            (a.service < b.service ? -1 : 1),
        )
        .map(g => ({
          service: g.service,
          region: g.region,
          firing: g.alerts.filter(a => a.state === 'firing').length,
          acknowledged: g.alerts.filter(a => a.state === 'acknowledged').length,
          alerts: g.alerts.map(a => present(a, active)),
        })),
    };
  }

  /**
   * Alerts that started in the window per service and region: how many,
   * and the mean time to acknowledge and to resolve of those that were.
   */
  async history(window: { fromMs: number; toMs: number }) {
    const alerts = await this.options.store.alertsStartedBetween(
      window.fromMs,
      window.toMs,
    );
    const groups = new Map<string, Alert[]>();
    for (const alert of alerts) {
      const key = `${alert.service}@${alert.region}`;
      groups.set(key, [...(groups.get(key) ?? []), alert]);
    }
    return {
      from: new Date(window.fromMs).toISOString(),
      to: new Date(window.toMs).toISOString(),
      services: [...groups.values()].map(group => {
        const acked = group.filter(a => a.acknowledgedAtMs !== undefined);
        const done = group.filter(a => a.resolvedAtMs !== undefined);
        return {
          service: group[0].service,
          region: group[0].region,
          alerts: group.length,
          acknowledged: acked.length,
          resolved: done.length,
          mttaSeconds: mean(
            acked.map(a => (a.acknowledgedAtMs! - a.startsAtMs) / 1000),
          ),
          mttrSeconds: mean(
            done.map(a => (a.resolvedAtMs! - a.startsAtMs) / 1000),
          ),
        };
      }),
    };
  }

  async acknowledge(
    id: string,
    comment: string | undefined,
    credentials: UserCredentials,
    nowMs = Date.now(),
  ) {
    await this.authorize(credentials);
    const alert = await this.options.store.getAlert(id);
    if (!alert) {
      throw new NotFoundError(`No alert '${id}'`);
    }
    const by = credentials.principal.userEntityRef;
    if (!(await this.options.store.acknowledge(id, by, comment, nowMs))) {
      throw new ConflictError(
        `Alert '${id}' is ${alert.state}; only a firing alert can be acknowledged`,
      );
    }
    return this.get(id, nowMs);
  }

  async resolve(
    id: string,
    reason: string,
    credentials: UserCredentials,
    nowMs = Date.now(),
  ) {
    await this.authorize(credentials);
    const { store, evaluator } = this.options;
    const alert = await store.getAlert(id);
    if (!alert) {
      throw new NotFoundError(`No alert '${id}'`);
    }
    const by = credentials.principal.userEntityRef;
    if (!(await store.resolve(id, by, reason, nowMs))) {
      throw new ConflictError(`Alert '${id}' is already resolved`);
    }
    await evaluator.resolvedByHand((await store.getAlert(id))!, nowMs);
    return this.get(id, nowMs);
  }

  async listSilences(nowMs = Date.now()) {
    const all = await this.options.store.listSilences();
    return { silences: all.map(s => presentSilence(s, nowMs)) };
  }

  async getSilence(id: string, nowMs = Date.now()) {
    const silence = await this.options.store.getSilence(id);
    if (!silence) {
      throw new NotFoundError(`No silence '${id}'`);
    }
    return presentSilence(silence, nowMs);
  }

  async createSilence(
    input: {
      matchers: SilenceMatcher[];
      comment: string;
      startsAt?: string;
      endsAt?: string;
      duration?: string;
    },
    credentials: UserCredentials,
    nowMs = Date.now(),
  ) {
    await this.authorize(credentials);
    for (const [i, matcher] of input.matchers.entries()) {
      if (matcher.isRegex) {
        try {
          RE2JS.compile(matcher.value);
        } catch (error) {
          throw new InputError(
            `Invalid matchers.${i}.value: '${
              matcher.value
            }' is not a regular expression (RE2 syntax): ${
              (error as Error).message
            }`,
          );
        }
      }
    }
    const startsAtMs = input.startsAt ? Date.parse(input.startsAt) : nowMs;
    let endsAtMs: number;
    if (input.endsAt) {
      endsAtMs = Date.parse(input.endsAt);
    } else if (input.duration) {
      endsAtMs = startsAtMs + parseDuration(input.duration, 'duration');
    } else {
      throw new InputError('Invalid silence: give endsAt or duration');
    }
    if (!(endsAtMs > startsAtMs)) {
      throw new InputError(
        `Invalid endsAt: '${new Date(
          endsAtMs,
        ).toISOString()}' is not after the start`,
      );
    }

    const silence: Silence = {
      id: randomUUID(),
      matchers: input.matchers,
      comment: input.comment,
      createdBy: credentials.principal.userEntityRef,
      createdAtMs: nowMs,
      startsAtMs,
      endsAtMs,
    };
    await this.options.store.createSilence(silence);
    return presentSilence(silence, nowMs);
  }

  async expireSilence(
    id: string,
    credentials: UserCredentials,
    nowMs = Date.now(),
  ) {
    await this.authorize(credentials);
    if (!(await this.options.store.expireSilence(id, nowMs))) {
      throw new NotFoundError(`No silence '${id}'`);
    }
    return this.getSilence(id, nowMs);
  }

  async createRule(input: unknown, credentials: UserCredentials) {
    await this.authorize(credentials);
    return this.options.rules.create(
      input,
      credentials.principal.userEntityRef,
    );
  }

  async updateRule(id: string, input: unknown, credentials: UserCredentials) {
    await this.authorize(credentials);
    return this.options.rules.update(
      id,
      input,
      credentials.principal.userEntityRef,
    );
  }

  async deleteRule(id: string, credentials: UserCredentials) {
    await this.authorize(credentials);
    await this.options.rules.delete(id);
  }

  private async authorize(credentials: UserCredentials) {
    const [decision] = await this.options.permissions.authorize(
      [{ permission: alertUpdatePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${credentials.principal.userEntityRef} may not act on alerts (observability.alert.update)`,
      );
    }
  }
}
