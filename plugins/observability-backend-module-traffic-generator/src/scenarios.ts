import { RegionId } from './workload';

/** What is going on in the platform at one moment. */
export interface Conditions {
  /** A brute-force login attack on auth-service is under way. */
  bruteForce: boolean;
  /** Regions whose gateway answers every request with 503. */
  regionsDown: RegionId[];
}

export type ScenarioName = 'steady' | 'brute-force' | 'regional-outage';

export const SCENARIOS: ScenarioName[] = [
  'steady',
  'brute-force',
  'regional-outage',
];

/** The region the regional-outage scenario takes down. */
export const OUTAGE_REGION: RegionId = 'us-east-1';

/**
 * Which conditions hold at a time. With a cycle, the scenarios take turns
 * in each cycle of `cycleMinutes`: steady traffic throughout, the attack in
 * the second fifth of the cycle and the outage in the fourth, so that the
 * portal shows each starting and ending. Without one, every listed
 * scenario holds all the time.
 */
export function conditionsAt(options: {
  scenarios: ScenarioName[];
  cycleMinutes?: number;
  startedAtMs: number;
  nowMs: number;
}): Conditions {
  const { scenarios, cycleMinutes, startedAtMs, nowMs } = options;
  const listed = (name: ScenarioName) => scenarios.includes(name);

  if (!cycleMinutes) {
    return {
      bruteForce: listed('brute-force'),
      regionsDown: listed('regional-outage') ? [OUTAGE_REGION] : [],
    };
  }

  const cycleMs = cycleMinutes * 60_000;
  const fifth = Math.floor((((nowMs - startedAtMs) % cycleMs) / cycleMs) * 5);
  return {
    bruteForce: listed('brute-force') && fifth === 1,
    regionsDown:
      listed('regional-outage') && fifth === 3 ? [OUTAGE_REGION] : [],
  };
}
