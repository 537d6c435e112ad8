/** How urgent an alert is: a page wakes someone, a ticket waits. */
export type Severity = 'page' | 'ticket' | 'info';

export const SEVERITIES: Severity[] = ['page', 'ticket', 'info'];

export type AlertState = 'firing' | 'acknowledged' | 'resolved';

export const ALERT_STATES: AlertState[] = [
  'firing',
  'acknowledged',
  'resolved',
];

/** One occurrence of an alert: a later breach after resolution is another. */
export interface Alert {
  id: string;
  fingerprint: string;
  /** 1 for the first occurrence of a fingerprint, then 2, 3, ... */
  occurrence: number;
  ruleId: string;
  severity: Severity;
  service: string;
  region: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: AlertState;
  /** The series value at the last evaluation that breached. */
  value: number;
  startsAtMs: number;
  lastEvaluatedAtMs: number;
  acknowledgedAtMs?: number;
  acknowledgedBy?: string;
  acknowledgeComment?: string;
  resolvedAtMs?: number;
  /** A user entity ref, or `system` when the condition cleared. */
  resolvedBy?: string;
  resolveReason?: string;
  /** Whether the firing notification has been handed to the outbox. */
  firingNotified: boolean;
  lastNotifiedAtMs?: number;
}

export interface SilenceMatcher {
  name: string;
  value: string;
  /** The value is a regular expression matched against the whole label. */
  isRegex?: boolean;
}

export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  comment: string;
  createdBy: string;
  createdAtMs: number;
  startsAtMs: number;
  endsAtMs: number;
}

/** A notification on its way to a target, kept until it is delivered. */
export interface OutboxEntry {
  id: number;
  alertId: string;
  target: string;
  event: 'firing' | 'resolved';
  attempts: number;
  nextAttemptAtMs: number;
  lastError?: string;
  createdAtMs: number;
  deliveredAtMs?: number;
}
