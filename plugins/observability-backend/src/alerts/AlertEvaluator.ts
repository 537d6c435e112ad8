import { LoggerService } from '@backstage/backend-plugin-api';
import { KpiSloService } from '../slos/KpiSloService';
import { SloService } from '../slos/SloService';
import { AlertStore, NewAlert } from './database/AlertStore';
import { formatDuration } from './durations';
import { activeSilences, fingerprintOf, silences } from './fingerprint';
import { NotificationOutbox } from './NotificationOutbox';
import { RuleRegistry } from './RuleRegistry';
import { breaches, ThresholdRule } from './rules';
import { SeriesSample, SeriesSource } from './series';
import { Alert, Severity } from './types';

/** A condition that holds at this evaluation. */
interface Breach {
  fingerprint: string;
  ruleId: string;
  severity: Severity;
  service: string;
  region: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  value: number;
  forMs: number;
}

/**
 * A condition start that marks a fingerprint resolved by hand while it
 * still held: it fires again only once the condition has cleared.
 */
export const HELD_BY_HAND = -1;

export interface EvaluationResult {
  breaches: number;
  fired: Alert[];
  resolved: Alert[];
  /** Milliseconds spent reading series, SLOs, and writing alerts. */
  timings: { thresholdsMs: number; slosMs: number; writesMs: number };
}

function formatValue(value: number) {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

/**
 * One evaluation of every rule: threshold rules on the derived series and
 * the burn-rate alerts of every SLO. Fires, keeps and resolves alerts by
 * fingerprint and hands notifications to the outbox.
 */
export class AlertEvaluator {
  constructor(
    private readonly options: {
      store: AlertStore;
      rules: RuleRegistry;
      sources: SeriesSource[];
      slos?: SloService;
      /** SLOs on business KPIs, which burn and page like request SLOs. */
      kpiSlos?: KpiSloService;
      outbox: NotificationOutbox;
      logger: LoggerService;
      resendIntervalMs: number;
    },
  ) {}

  async evaluate(nowMs = Date.now()): Promise<EvaluationResult> {
    const { store } = this.options;
    const startedAt = Date.now();
    const thresholdBreaches = await this.thresholdBreaches(nowMs);
    const thresholdsDoneAt = Date.now();
    const burnRateBreaches = await this.burnRateBreaches(nowMs);
    const slosDoneAt = Date.now();
    const found = [...thresholdBreaches, ...burnRateBreaches];
    const breaching = new Map(found.map(b => [b.fingerprint, b]));

    const [conditions, open, allSilences] = await Promise.all([
      store.conditions(),
      store.openAlerts(),
      store.listSilences(),
    ]);
    const openByFingerprint = new Map(open.map(a => [a.fingerprint, a]));
    const fired: Alert[] = [];
    const resolved: Alert[] = [];
    const touched: Array<{ id: string; value: number }> = [];
    const toFire: NewAlert[] = [];

    for (const breach of breaching.values()) {
      const since = conditions.get(breach.fingerprint);
      if (since === undefined) {
        await store.startCondition(breach.fingerprint, nowMs);
      }
      const current = openByFingerprint.get(breach.fingerprint);
      if (current) {
        touched.push({ id: current.id, value: breach.value });
        continue;
      }
      if (since === HELD_BY_HAND || nowMs - (since ?? nowMs) < breach.forMs) {
        continue;
      }
      toFire.push({
        fingerprint: breach.fingerprint,
        ruleId: breach.ruleId,
        severity: breach.severity,
        service: breach.service,
        region: breach.region,
        labels: breach.labels,
        annotations: breach.annotations,
        value: breach.value,
        startsAtMs: nowMs,
      });
    }

    for (const alert of await store.fireAll(toFire, nowMs)) {
      fired.push(alert);
      this.options.logger.info('Alert fired', {
        alertId: alert.id,
        ruleId: alert.ruleId,
        service: alert.service,
        region: alert.region,
        value: alert.value,
      });
    }

    await store.touchAll(touched, nowMs);
    await store.clearConditions(
      [...conditions.keys()].filter(f => !breaching.has(f)),
    );
    for (const alert of open) {
      if (breaching.has(alert.fingerprint)) {
        continue;
      }
      if (await store.resolve(alert.id, 'system', 'condition cleared', nowMs)) {
        const done = (await store.getAlert(alert.id))!;
        resolved.push(done);
        this.options.logger.info('Alert resolved', {
          alertId: alert.id,
          ruleId: alert.ruleId,
          service: alert.service,
          region: alert.region,
        });
      }
    }

    await this.notify(activeSilences(allSilences, nowMs), resolved, nowMs);
    return {
      breaches: breaching.size,
      fired,
      resolved,
      timings: {
        thresholdsMs: thresholdsDoneAt - startedAt,
        slosMs: slosDoneAt - thresholdsDoneAt,
        writesMs: Date.now() - slosDoneAt,
      },
    };
  }

  /** Resolved by hand: notifies, and holds the condition until it clears. */
  async resolvedByHand(alert: Alert, nowMs: number) {
    await this.options.store.startCondition(alert.fingerprint, nowMs);
    await this.options.store.restartCondition(alert.fingerprint, HELD_BY_HAND);
    if (alert.firingNotified) {
      await this.options.outbox.enqueue([alert], 'resolved', nowMs);
    }
  }

  private async notify(
    active: ReturnType<typeof activeSilences>,
    resolved: Alert[],
    nowMs: number,
  ) {
    const { store, outbox, resendIntervalMs } = this.options;

    await outbox.enqueue(
      resolved.filter(a => a.firingNotified),
      'resolved',
      nowMs,
    );

    // A silenced alert is stored but not sent; once its silence ends it is
    // sent like a new one.
    const unsent: Alert[] = [];
    const resend: Alert[] = [];
    for (const alert of await store.openAlerts()) {
      if (active.some(s => silences(s, alert.labels))) {
        continue;
      }
      if (!alert.firingNotified) {
        unsent.push(alert);
      } else if (nowMs - (alert.lastNotifiedAtMs ?? 0) >= resendIntervalMs) {
        resend.push(alert);
      }
    }
    const claimed = new Set(
      await store.claimFiringNotifications(
        unsent.map(a => a.id),
        nowMs,
      ),
    );
    const firing = unsent.filter(a => claimed.has(a.id));
    await outbox.enqueue(firing, 'firing', nowMs);
    await store.markNotified(
      resend.map(a => a.id),
      nowMs,
    );
    await outbox.enqueue(resend, 'firing', nowMs, { resendOnly: true });
  }

  private async thresholdBreaches(nowMs: number): Promise<Breach[]> {
    const { rules, sources, logger } = this.options;
    const memo = new Map<string, Promise<SeriesSample[]>>();
    const breachList: Breach[] = [];

    for (const rule of await rules.all()) {
      const { definition } = rule;
      const source = sources.find(s => s.kinds.includes(definition.series));
      if (!source) {
        continue;
      }
      const query = {
        kind: definition.series,
        window: { fromMs: nowMs - rule.windowMs, toMs: nowMs },
        scope: definition.scope ?? {},
        eventName: definition.eventName,
        kpi: definition.kpi,
      };
      const key = JSON.stringify(query);
      if (!memo.has(key)) {
        memo.set(key, source.read(query));
      }

      let samples: SeriesSample[];
      try {
        samples = await memo.get(key)!;
      } catch (error) {
        // One series that cannot be read does not stop the other rules.
        logger.error('Could not read an alert series', {
          ruleId: rule.id,
          error: String(error),
        });
        continue;
      }
      for (const sample of samples) {
        if (breaches(sample.value, definition.operator, definition.threshold)) {
          breachList.push(thresholdBreach(rule, sample));
        }
      }
    }
    return breachList;
  }

  private async burnRateBreaches(nowMs: number): Promise<Breach[]> {
    const { slos, kpiSlos } = this.options;
    if (!slos) {
      return [];
    }
    const breachList: Breach[] = [];
    const all = [
      ...(await slos.list(nowMs)),
      ...(kpiSlos ? await kpiSlos.list(nowMs) : []),
    ];
    for (const slo of all) {
      for (const objective of slo.objectives) {
        for (const tier of objective.alerts.filter(a => a.burning)) {
          const ruleId = `slo-${objective.name.replace(/_/g, '-')}-${
            tier.tier
          }`;
          const value = objective.burnRates[tier.longWindow]!;
          const labels = {
            alertname: ruleId,
            severity: tier.severity,
            service: slo.service,
            region: slo.region,
            slo: objective.name,
          };
          breachList.push({
            fingerprint: fingerprintOf(ruleId, labels),
            ruleId,
            severity: tier.severity as Severity,
            service: slo.service,
            region: slo.region,
            labels,
            annotations: {
              summary: `${slo.service} in ${
                slo.region || 'no region'
              } burns its ${objective.name} error budget ${formatValue(
                value,
              )}x too fast`,
              description:
                `SLO: ${objective.description}. Burn rate ${formatValue(
                  value,
                )} over ${tier.longWindow} ` +
                `and ${formatValue(
                  objective.burnRates[tier.shortWindow]!,
                )} over ${tier.shortWindow}, ` +
                `at or above ${tier.factor}.`,
            },
            value,
            forMs: 0,
          });
        }
      }
    }
    return breachList;
  }
}

function thresholdBreach(rule: ThresholdRule, sample: SeriesSample): Breach {
  const { definition } = rule;
  const labels: Record<string, string> = {
    ...definition.labels,
    alertname: rule.id,
    severity: definition.severity,
    service: sample.labels.service,
    region: sample.labels.region,
  };
  for (const key of ['route', 'eventName', 'kpi'] as const) {
    if (sample.labels[key] !== undefined) {
      labels[key] = sample.labels[key]!;
    }
  }
  const where = `${sample.labels.service} in ${
    sample.labels.region || 'no region'
  }`;
  return {
    fingerprint: fingerprintOf(rule.id, labels),
    ruleId: rule.id,
    severity: definition.severity,
    service: sample.labels.service,
    region: sample.labels.region,
    labels,
    annotations: {
      summary:
        definition.summary ??
        `${definition.series} of ${where} is ${formatValue(sample.value)}`,
      description: `${definition.series} over ${formatDuration(
        rule.windowMs,
      )} ${definition.operator} ${definition.threshold} (rule ${rule.id}).`,
    },
    value: sample.value,
    forMs: rule.forMs,
  };
}
