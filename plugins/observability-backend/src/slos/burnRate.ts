import { Severity } from '../alerts/types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One multi-window, multi-burn-rate alert of the Google SRE workbook. */
export interface BurnRateTier {
  name: string;
  severity: Severity;
  /** Fires when both windows burn at least this many times the budget. */
  factor: number;
  longWindowMs: number;
  shortWindowMs: number;
}

export const BURN_RATE_TIERS: BurnRateTier[] = [
  {
    name: 'fast',
    severity: 'page',
    factor: 14.4,
    longWindowMs: HOUR,
    shortWindowMs: 5 * MINUTE,
  },
  {
    name: 'medium',
    severity: 'page',
    factor: 6,
    longWindowMs: 6 * HOUR,
    shortWindowMs: 30 * MINUTE,
  },
  {
    name: 'slow',
    severity: 'ticket',
    factor: 1,
    longWindowMs: 3 * DAY,
    shortWindowMs: 6 * HOUR,
  },
];

/** Every window a tier looks at, shortest first. */
export const BURN_RATE_WINDOWS_MS = [
  ...new Set(BURN_RATE_TIERS.flatMap(t => [t.shortWindowMs, t.longWindowMs])),
].sort((a, b) => a - b);

/**
 * How many times faster than allowed the budget burns: the bad fraction
 * of requests over the fraction the objective allows. No requests is no
 * data (undefined), never 0 and never NaN.
 */
export function burnRate(
  bad: number,
  total: number,
  objective: number,
): number | undefined {
  if (total === 0) {
    return undefined;
  }
  return bad / total / (1 - objective);
}

/**
 * What is left of the error budget over the SLO period: as a fraction of
 * the budget (below 0 once overspent) and as time, the share of the period
 * that may still be bad. No requests leave the whole budget.
 */
export function errorBudget(
  bad: number,
  total: number,
  objective: number,
  periodMs: number,
) {
  const allowed = 1 - objective;
  const spent = total === 0 ? 0 : bad / total / allowed;
  const remainingFraction = 1 - spent;
  return {
    remainingFraction,
    remainingMs: Math.max(0, remainingFraction) * allowed * periodMs,
  };
}
