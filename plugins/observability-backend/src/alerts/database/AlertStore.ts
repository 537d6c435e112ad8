import { RuleDefinition } from '../rules';
import { Alert, AlertState, OutboxEntry, Severity, Silence } from '../types';

export interface AlertFilter {
  state?: AlertState;
  severity?: Severity;
  service?: string;
  region?: string;
  limit: number;
  offset: number;
}

/** A new occurrence to fire, without what the store works out. */
export type NewAlert = Omit<
  Alert,
  'id' | 'occurrence' | 'state' | 'firingNotified' | 'lastEvaluatedAtMs'
>;

export interface StoredRule {
  definition: RuleDefinition;
  createdBy: string;
  createdAtMs: number;
  updatedBy: string;
  updatedAtMs: number;
}

/** Where alerts, conditions, rules, silences and the outbox are kept. */
export interface AlertStore {
  /** Open (firing or acknowledged) alerts. */
  openAlerts(): Promise<Alert[]>;

  /**
   * Fires the next occurrence of each fingerprint unless one is open or
   * another writer already fired it, in one transaction. Returns the
   * alerts this call created.
   */
  fireAll(alerts: NewAlert[], nowMs: number): Promise<Alert[]>;

  /** Records the values of alerts whose conditions still hold, at once. */
  touchAll(
    updates: Array<{ id: string; value: number }>,
    nowMs: number,
  ): Promise<void>;

  /** Moves a firing alert to acknowledged; false if it was not firing. */
  acknowledge(
    id: string,
    by: string,
    comment: string | undefined,
    nowMs: number,
  ): Promise<boolean>;

  /** Resolves an open alert; false if it was already resolved. */
  resolve(
    id: string,
    by: string,
    reason: string,
    nowMs: number,
  ): Promise<boolean>;

  /**
   * Claims the firing notifications of alerts in one transaction; each is
   * claimed by one caller only. Returns the ids this call got.
   */
  claimFiringNotifications(ids: string[], nowMs: number): Promise<string[]>;

  markNotified(ids: string[], nowMs: number): Promise<void>;

  getAlert(id: string): Promise<Alert | undefined>;

  getAlerts(ids: string[]): Promise<Alert[]>;

  listAlerts(filter: AlertFilter): Promise<{ alerts: Alert[]; total: number }>;

  /** Alerts that started in the window, for history and MTTA/MTTR. */
  alertsStartedBetween(fromMs: number, toMs: number): Promise<Alert[]>;

  /** Condition start times by fingerprint. */
  conditions(): Promise<Map<string, number>>;

  /** Records that a condition holds, keeping an earlier start. */
  startCondition(fingerprint: string, nowMs: number): Promise<void>;

  /** Forgets conditions; `restartAtMs` sets their start again instead. */
  clearConditions(fingerprints: string[]): Promise<void>;
  restartCondition(fingerprint: string, nowMs: number): Promise<void>;

  listRules(): Promise<StoredRule[]>;
  getRule(id: string): Promise<StoredRule | undefined>;
  /** Inserts a rule; false when the id is taken. */
  createRule(
    definition: RuleDefinition,
    by: string,
    nowMs: number,
  ): Promise<boolean>;
  updateRule(
    definition: RuleDefinition,
    by: string,
    nowMs: number,
  ): Promise<boolean>;
  deleteRule(id: string): Promise<boolean>;

  createSilence(silence: Silence): Promise<void>;
  listSilences(): Promise<Silence[]>;
  getSilence(id: string): Promise<Silence | undefined>;
  /** Ends a silence now; false if there is none with the id. */
  expireSilence(id: string, nowMs: number): Promise<boolean>;

  enqueue(
    entries: Array<{
      alertId: string;
      target: string;
      event: 'firing' | 'resolved';
    }>,
    nowMs: number,
  ): Promise<void>;
  dueEntries(nowMs: number, limit: number): Promise<OutboxEntry[]>;
  markDelivered(ids: number[], nowMs: number): Promise<void>;
  markFailed(id: number, error: string, nextAttemptAtMs: number): Promise<void>;
  /** Undelivered entries that failed at least once. */
  failingEntries(): Promise<OutboxEntry[]>;
  pendingCount(): Promise<number>;
  deleteDeliveredBefore(cutoffMs: number): Promise<number>;
}
