import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { RuleDefinition } from '../rules';
import { Alert, OutboxEntry, Silence } from '../types';
import { AlertFilter, AlertStore, NewAlert, StoredRule } from './AlertStore';

const OPEN_STATES = ['firing', 'acknowledged'];

/** Both engines may hand back bigint columns as strings. */
function optionalNumber(value: unknown) {
  return value === null || value === undefined ? undefined : Number(value);
}

function optionalString(value: unknown) {
  return value === null || value === undefined ? undefined : String(value);
}

/** An occurrence's id follows from its key, the same on every replica. */
function alertId(fingerprint: string, occurrence: number) {
  return createHash('sha256')
    .update(`${fingerprint}:${occurrence}`)
    .digest('hex')
    .slice(0, 32);
}

function fromAlertRow(row: any): Alert {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    occurrence: Number(row.occurrence),
    ruleId: row.rule_id,
    severity: row.severity,
    service: row.service,
    region: row.region,
    labels: JSON.parse(row.labels),
    annotations: JSON.parse(row.annotations),
    state: row.state,
    value: Number(row.value),
    startsAtMs: Number(row.starts_at_ms),
    lastEvaluatedAtMs: Number(row.last_evaluated_at_ms),
    acknowledgedAtMs: optionalNumber(row.acknowledged_at_ms),
    acknowledgedBy: optionalString(row.acknowledged_by),
    acknowledgeComment: optionalString(row.acknowledge_comment),
    resolvedAtMs: optionalNumber(row.resolved_at_ms),
    resolvedBy: optionalString(row.resolved_by),
    resolveReason: optionalString(row.resolve_reason),
    firingNotified: Boolean(row.firing_notified),
    lastNotifiedAtMs: optionalNumber(row.last_notified_at_ms),
  };
}

function fromRuleRow(row: any): StoredRule {
  return {
    definition: JSON.parse(row.definition),
    createdBy: row.created_by,
    createdAtMs: Number(row.created_at_ms),
    updatedBy: row.updated_by,
    updatedAtMs: Number(row.updated_at_ms),
  };
}

function fromSilenceRow(row: any): Silence {
  return {
    id: row.id,
    matchers: JSON.parse(row.matchers),
    comment: row.comment,
    createdBy: row.created_by,
    createdAtMs: Number(row.created_at_ms),
    startsAtMs: Number(row.starts_at_ms),
    endsAtMs: Number(row.ends_at_ms),
  };
}

function fromOutboxRow(row: any): OutboxEntry {
  return {
    id: Number(row.id),
    alertId: row.alert_id,
    target: row.target,
    event: row.event,
    attempts: Number(row.attempts),
    nextAttemptAtMs: Number(row.next_attempt_at_ms),
    lastError: optionalString(row.last_error),
    createdAtMs: Number(row.created_at_ms),
    deliveredAtMs: optionalNumber(row.delivered_at_ms),
  };
}

/** Alerts and everything around them, on the plugin's knex database. */
export class DatabaseAlertStore implements AlertStore {
  constructor(private readonly db: Knex) {}

  async openAlerts(): Promise<Alert[]> {
    const rows = await this.db('alerts')
      .whereIn('state', OPEN_STATES)
      .orderBy('starts_at_ms');
    return rows.map(fromAlertRow);
  }

  async fireAll(alerts: NewAlert[], nowMs: number): Promise<Alert[]> {
    if (alerts.length === 0) {
      return [];
    }
    // One transaction for all: a burst of alerts (an SLO tier becoming
    // readable for every service at once) is one commit, not hundreds.
    // Fingerprints in one order on every replica, so that the per-fingerprint
    // locks below are always taken in the same order and cannot deadlock.
    const ordered = [...alerts].sort((a, b) =>
      a.fingerprint.localeCompare(b.fingerprint),
    );
    const created = await this.db.transaction(async tx => {
      const ids: string[] = [];
      for (const alert of ordered) {
        const id = await this.insertOccurrence(tx, alert, nowMs);
        if (id) {
          ids.push(id);
        }
      }
      return ids;
    });
    return this.getAlerts(created);
  }

  /** The next occurrence of the fingerprint, unless one is open. */
  private async insertOccurrence(
    tx: Knex.Transaction,
    alert: NewAlert,
    nowMs: number,
  ): Promise<string | undefined> {
    // Another replica may fire the same fingerprint at the same moment. On
    // PostgreSQL its commit could land between our read of the open alerts
    // and of the last occurrence, and we would fire occurrence 2 next to its
    // 1; a lock on the fingerprint until commit rules that out. SQLite runs
    // one write transaction at a time, which gives the same guarantee.
    if (tx.client.config.client === 'pg') {
      await tx.raw('select pg_advisory_xact_lock(hashtext(?))', [
        `tms-alert:${alert.fingerprint}`,
      ]);
    }

    const open = await tx('alerts')
      .where('fingerprint', alert.fingerprint)
      .whereIn('state', OPEN_STATES)
      .first();
    if (open) {
      return undefined;
    }

    const last = await tx('alerts')
      .where('fingerprint', alert.fingerprint)
      .max({ occurrence: 'occurrence' })
      .first();
    const occurrence = Number(last?.occurrence ?? 0) + 1;
    const id = alertId(alert.fingerprint, occurrence);

    const inserted = await tx('alerts')
      .insert({
        id,
        fingerprint: alert.fingerprint,
        occurrence,
        rule_id: alert.ruleId,
        severity: alert.severity,
        service: alert.service,
        region: alert.region,
        labels: JSON.stringify(alert.labels),
        annotations: JSON.stringify(alert.annotations),
        state: 'firing',
        value: alert.value,
        starts_at_ms: alert.startsAtMs,
        last_evaluated_at_ms: nowMs,
        firing_notified: false,
      })
      .onConflict()
      .ignore()
      .returning('id');
    return inserted.length === 0 ? undefined : id;
  }

  async touchAll(
    updates: Array<{ id: string; value: number }>,
    nowMs: number,
  ): Promise<void> {
    if (updates.length === 0) {
      return;
    }
    // One transaction: on SQLite each commit is a sync to disk.
    await this.db.transaction(async tx => {
      for (const { id, value } of updates) {
        await tx('alerts')
          .where({ id })
          .update({ value, last_evaluated_at_ms: nowMs });
      }
    });
  }

  async acknowledge(
    id: string,
    by: string,
    comment: string | undefined,
    nowMs: number,
  ): Promise<boolean> {
    const count = await this.db('alerts')
      .where({ id, state: 'firing' })
      .update({
        state: 'acknowledged',
        acknowledged_at_ms: nowMs,
        acknowledged_by: by,
        acknowledge_comment: comment ?? null,
      });
    return count === 1;
  }

  async resolve(
    id: string,
    by: string,
    reason: string,
    nowMs: number,
  ): Promise<boolean> {
    const count = await this.db('alerts')
      .where({ id })
      .whereIn('state', OPEN_STATES)
      .update({
        state: 'resolved',
        resolved_at_ms: nowMs,
        resolved_by: by,
        resolve_reason: reason,
      });
    return count === 1;
  }

  async claimFiringNotifications(
    ids: string[],
    nowMs: number,
  ): Promise<string[]> {
    if (ids.length === 0) {
      return [];
    }
    return this.db.transaction(async tx => {
      const claimed: string[] = [];
      for (const id of ids) {
        const count = await tx('alerts')
          .where({ id, firing_notified: false })
          .update({ firing_notified: true, last_notified_at_ms: nowMs });
        if (count === 1) {
          claimed.push(id);
        }
      }
      return claimed;
    });
  }

  async markNotified(ids: string[], nowMs: number): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      await this.db('alerts')
        .whereIn('id', ids.slice(i, i + 500))
        .update({ last_notified_at_ms: nowMs });
    }
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const row = await this.db('alerts').where({ id }).first();
    return row ? fromAlertRow(row) : undefined;
  }

  async getAlerts(ids: string[]): Promise<Alert[]> {
    const alerts: Alert[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db('alerts').whereIn('id', ids.slice(i, i + 500));
      alerts.push(...rows.map(fromAlertRow));
    }
    return alerts;
  }

  async listAlerts(
    filter: AlertFilter,
  ): Promise<{ alerts: Alert[]; total: number }> {
    const query = this.db('alerts').modify(q => {
      if (filter.state) {
        q.where('state', filter.state);
      }
      if (filter.severity) {
        q.where('severity', filter.severity);
      }
      if (filter.service) {
        q.where('service', filter.service);
      }
      if (filter.region !== undefined) {
        q.where('region', filter.region);
      }
    });

    const [{ total }] = await query.clone().count({ total: '*' });
    const rows = await query
      .orderBy([
        { column: 'starts_at_ms', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset);
    return { alerts: rows.map(fromAlertRow), total: Number(total) };
  }

  async alertsStartedBetween(fromMs: number, toMs: number): Promise<Alert[]> {
    const rows = await this.db('alerts')
      .where('starts_at_ms', '>=', fromMs)
      .andWhere('starts_at_ms', '<', toMs)
      .orderBy([{ column: 'starts_at_ms' }, { column: 'id' }]);
    return rows.map(fromAlertRow);
  }

  async conditions(): Promise<Map<string, number>> {
    const rows = await this.db('alert_conditions').select();
    return new Map(
      rows.map(row => [row.fingerprint, Number(row.active_since_ms)]),
    );
  }

  async startCondition(fingerprint: string, nowMs: number): Promise<void> {
    await this.db('alert_conditions')
      .insert({ fingerprint, active_since_ms: nowMs })
      .onConflict('fingerprint')
      .ignore();
  }

  async clearConditions(fingerprints: string[]): Promise<void> {
    for (let i = 0; i < fingerprints.length; i += 500) {
      await this.db('alert_conditions')
        .whereIn('fingerprint', fingerprints.slice(i, i + 500))
        .delete();
    }
  }

  async restartCondition(fingerprint: string, nowMs: number): Promise<void> {
    await this.db('alert_conditions')
      .where({ fingerprint })
      .update({ active_since_ms: nowMs });
  }

  async listRules(): Promise<StoredRule[]> {
    const rows = await this.db('alert_rules').orderBy('id');
    return rows.map(fromRuleRow);
  }

  async getRule(id: string): Promise<StoredRule | undefined> {
    const row = await this.db('alert_rules').where({ id }).first();
    return row ? fromRuleRow(row) : undefined;
  }

  async createRule(
    definition: RuleDefinition,
    by: string,
    nowMs: number,
  ): Promise<boolean> {
    const inserted = await this.db('alert_rules')
      .insert({
        id: definition.id,
        definition: JSON.stringify(definition),
        created_by: by,
        created_at_ms: nowMs,
        updated_by: by,
        updated_at_ms: nowMs,
      })
      .onConflict('id')
      .ignore()
      .returning('id');
    return inserted.length === 1;
  }

  async updateRule(
    definition: RuleDefinition,
    by: string,
    nowMs: number,
  ): Promise<boolean> {
    const count = await this.db('alert_rules')
      .where({ id: definition.id })
      .update({
        definition: JSON.stringify(definition),
        updated_by: by,
        updated_at_ms: nowMs,
      });
    return count === 1;
  }

  async deleteRule(id: string): Promise<boolean> {
    return (await this.db('alert_rules').where({ id }).delete()) === 1;
  }

  async createSilence(silence: Silence): Promise<void> {
    await this.db('alert_silences').insert({
      id: silence.id,
      matchers: JSON.stringify(silence.matchers),
      comment: silence.comment,
      created_by: silence.createdBy,
      created_at_ms: silence.createdAtMs,
      starts_at_ms: silence.startsAtMs,
      ends_at_ms: silence.endsAtMs,
    });
  }

  async listSilences(): Promise<Silence[]> {
    const rows = await this.db('alert_silences').orderBy([
      { column: 'starts_at_ms', order: 'desc' },
      { column: 'id' },
    ]);
    return rows.map(fromSilenceRow);
  }

  async getSilence(id: string): Promise<Silence | undefined> {
    const row = await this.db('alert_silences').where({ id }).first();
    return row ? fromSilenceRow(row) : undefined;
  }

  async expireSilence(id: string, nowMs: number): Promise<boolean> {
    const count = await this.db('alert_silences')
      .where({ id })
      .update({
        ends_at_ms: this.db.raw(
          'CASE WHEN ends_at_ms > ? THEN ? ELSE ends_at_ms END',
          [nowMs, nowMs],
        ),
      });
    return count === 1;
  }

  async enqueue(
    entries: Array<{
      alertId: string;
      target: string;
      event: 'firing' | 'resolved';
    }>,
    nowMs: number,
  ): Promise<void> {
    if (entries.length === 0) {
      return;
    }
    await this.db('alert_outbox').insert(
      entries.map(entry => ({
        alert_id: entry.alertId,
        target: entry.target,
        event: entry.event,
        attempts: 0,
        next_attempt_at_ms: nowMs,
        created_at_ms: nowMs,
      })),
    );
  }

  async dueEntries(nowMs: number, limit: number): Promise<OutboxEntry[]> {
    const rows = await this.db('alert_outbox')
      .whereNull('delivered_at_ms')
      .andWhere('next_attempt_at_ms', '<=', nowMs)
      .orderBy('id')
      .limit(limit);
    return rows.map(fromOutboxRow);
  }

  async markDelivered(ids: number[], nowMs: number): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      await this.db('alert_outbox')
        .whereIn('id', ids.slice(i, i + 500))
        .update({ delivered_at_ms: nowMs });
    }
  }

  async markFailed(
    id: number,
    error: string,
    nextAttemptAtMs: number,
  ): Promise<void> {
    await this.db('alert_outbox')
      .where({ id })
      .update({
        attempts: this.db.raw('attempts + 1'),
        last_error: error.slice(0, 2000),
        next_attempt_at_ms: nextAttemptAtMs,
      });
  }

  async failingEntries(): Promise<OutboxEntry[]> {
    const rows = await this.db('alert_outbox')
      .whereNull('delivered_at_ms')
      .andWhere('attempts', '>', 0)
      .orderBy('id')
      .limit(100);
    return rows.map(fromOutboxRow);
  }

  async pendingCount(): Promise<number> {
    const [{ count }] = await this.db('alert_outbox')
      .whereNull('delivered_at_ms')
      .count({ count: '*' });
    return Number(count);
  }

  async deleteDeliveredBefore(cutoffMs: number): Promise<number> {
    return this.db('alert_outbox')
      .whereNotNull('delivered_at_ms')
      .andWhere('delivered_at_ms', '<', cutoffMs)
      .delete();
  }
}
