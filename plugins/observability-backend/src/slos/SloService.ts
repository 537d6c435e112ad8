import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { formatDuration } from '../alerts/durations';
import { SeriesStore, WindowedCounts } from '../alerts/series';
import { ServiceDirectory } from '../alerts/ServiceDirectory';
import {
  BURN_RATE_TIERS,
  BURN_RATE_WINDOWS_MS,
  burnRate,
  errorBudget,
} from './burnRate';
import { readAnnotations, SloTargetResolver, SloTargets } from './targets';

export const DAY_MS = 86_400_000;

/** Windows at or under this are read on every evaluation. */
const SHORT_WINDOW_LIMIT_MS = 3_600_000;

/** The latency SLI: the share of requests faster than the p95 target. */
const LATENCY_OBJECTIVE = 0.95;

export type ObjectiveName = 'availability' | 'latency' | 'error_rate';

export interface ObjectiveStatus<Name extends string = ObjectiveName> {
  name: Name;
  /** The share of good requests the objective asks for. */
  objective: number;
  description: string;
  /** Good requests over the period; null when there were none. */
  sli: number | null;
  status: 'ok' | 'breached' | 'no_data';
  errorBudget: { remainingFraction: number; remainingSeconds: number };
  /** Burn rate per window (`5m`, `1h`, ...); null for no data. */
  burnRates: Record<string, number | null>;
  alerts: Array<{
    tier: string;
    severity: string;
    factor: number;
    longWindow: string;
    shortWindow: string;
    burning: boolean;
  }>;
}

export interface SloStatus {
  id: string;
  service: string;
  region: string;
  targets: SloTargets;
  period: string;
  evaluatedAt: string;
  objectives: ObjectiveStatus[];
}

interface CountsCache {
  readAtMs: number;
  windowsMs: number[];
  thresholds: number[];
  rows: WindowedCounts[];
}

/** An SLO's id: `service@region`, the region empty when unknown. */
export function sloId(service: string, region: string) {
  return `${service}@${region}`;
}

/**
 * SLOs per service and region: SLI, error budget and burn rates over the
 * multi-window alert windows. Windows up to an hour are read on every
 * evaluation; longer ones at most every `longWindowRefreshMs`, as they
 * hardly move between evaluations.
 */
export class SloService {
  private long?: CountsCache;
  /** Annotation problems already logged: the evaluation runs every second. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly options: {
      store: SeriesStore;
      targets: SloTargetResolver;
      directory?: ServiceDirectory;
      logger: LoggerService;
      longWindowRefreshMs: number;
      /** Requests a tier's long window needs before it can burn. */
      minRequests?: number;
    },
  ) {}

  async list(nowMs = Date.now()): Promise<SloStatus[]> {
    const { store, targets } = this.options;
    const periodsMs = targets.periodsDays().map(d => d * DAY_MS);
    const shortWindows = BURN_RATE_WINDOWS_MS.filter(
      w => w <= SHORT_WINDOW_LIMIT_MS,
    );
    const longWindows = [
      ...new Set([
        ...BURN_RATE_WINDOWS_MS.filter(w => w > SHORT_WINDOW_LIMIT_MS),
        ...periodsMs,
      ]),
    ];

    // Thresholds follow the services seen last time; a new one forces a
    // fresh read of the long windows below.
    const known = this.long?.rows ?? [];
    const resolved = await this.resolveTargets(known);
    const thresholds = [...new Set([...resolved.values()].map(t => t.p95Ms))];
    if (thresholds.length === 0) {
      thresholds.push(targets.targetsFor('', '').p95Ms);
    }

    if (
      !this.long ||
      nowMs - this.long.readAtMs >= this.options.longWindowRefreshMs ||
      thresholds.some(t => !this.long!.thresholds.includes(t))
    ) {
      this.long = {
        readAtMs: nowMs,
        windowsMs: longWindows,
        thresholds,
        rows: await store.windowedCounts({
          toMs: nowMs,
          windowsMs: longWindows,
          slowThresholdsMs: thresholds,
        }),
      };
    }
    const long = this.long;
    const short = await store.windowedCounts({
      toMs: nowMs,
      windowsMs: shortWindows,
      slowThresholdsMs: long.thresholds,
    });

    const groups = new Map<string, { service: string; region: string }>();
    for (const row of [...long.rows, ...short]) {
      groups.set(sloId(row.service, row.region), row);
    }
    const allTargets = await this.resolveTargets([...groups.values()]);

    const find = (rows: WindowedCounts[], id: string) =>
      rows.find(r => sloId(r.service, r.region) === id);

    return [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, { service, region }]) => {
        const target = allTargets.get(id)!;
        const counts = new Map<number, WindowCounts>();
        const fill = (rows: WindowedCounts[], windowsMs: number[]) => {
          const row = find(rows, id);
          windowsMs.forEach((w, i) => {
            const c = row?.windows[i];
            counts.set(w, {
              requests: c?.requests ?? 0,
              errors: c?.errors ?? 0,
              slow: c?.slow[long.thresholds.indexOf(target.p95Ms)] ?? 0,
            });
          });
        };
        fill(long.rows, long.windowsMs);
        fill(short, shortWindows);

        return {
          id,
          service,
          region,
          targets: target,
          period: `${target.periodDays}d`,
          evaluatedAt: new Date(nowMs).toISOString(),
          objectives: objectivesOf(
            target,
            counts,
            this.options.minRequests ?? 0,
          ),
        };
      });
  }

  async get(id: string, nowMs = Date.now()): Promise<SloStatus> {
    const slo = (await this.list(nowMs)).find(s => s.id === id);
    if (!slo) {
      throw new NotFoundError(
        `No SLO '${id}': no request of that service and region in its period`,
      );
    }
    return slo;
  }

  private async resolveTargets(
    groups: Array<{ service: string; region: string }>,
  ): Promise<Map<string, SloTargets>> {
    const { directory, targets, logger } = this.options;
    const annotations = directory
      ? directory.annotations([...new Set(groups.map(g => g.service))])
      : new Map<string, Record<string, string>>();
    const result = new Map<string, SloTargets>();
    for (const { service, region } of groups) {
      const read = readAnnotations(annotations.get(service) ?? {}, service);
      for (const problem of read.problems) {
        if (!this.reported.has(problem)) {
          this.reported.add(problem);
          logger.warn('Ignored an SLO annotation', { problem });
        }
      }
      result.set(
        sloId(service, region),
        targets.targetsFor(service, region, read.targets),
      );
    }
    return result;
  }
}

interface WindowCounts {
  requests: number;
  errors: number;
  slow: number;
}

export function statusOf(
  sli: number | null,
  objective: number,
): ObjectiveStatus['status'] {
  if (sli === null) {
    return 'no_data';
  }
  return sli < objective ? 'breached' : 'ok';
}

function objectivesOf(
  target: SloTargets,
  counts: Map<number, WindowCounts>,
  minRequests: number,
): ObjectiveStatus[] {
  const periodMs = target.periodDays * DAY_MS;
  const definitions: Array<{
    name: ObjectiveName;
    objective: number;
    description: string;
    bad: (c: WindowCounts) => number;
  }> = [
    {
      name: 'availability',
      objective: target.availability,
      description: `at least ${target.availability * 100}% of requests succeed`,
      bad: c => c.errors,
    },
    {
      name: 'latency',
      objective: LATENCY_OBJECTIVE,
      description: `95% of requests take less than ${target.p95Ms} ms`,
      bad: c => c.slow,
    },
    {
      name: 'error_rate',
      objective: 1 - target.errorRate,
      description: `fewer than ${target.errorRate * 100}% of requests fail`,
      bad: c => c.errors,
    },
  ];

  return definitions.map(({ name, objective, description, bad }) => {
    const windows = new Map<number, { total: number; bad: number }>();
    for (const [w, c] of counts) {
      windows.set(w, { total: c.requests, bad: bad(c) });
    }
    return objectiveStatus({
      name,
      objective,
      description,
      periodMs,
      windows,
      minRequests,
    });
  });
}

/**
 * An objective's SLI, error budget and burn-rate alerts from the good and
 * bad counts of each burn-rate window and of the period. A tier burns
 * only when both of its windows burn fast enough and its long window saw
 * at least `minRequests`: a handful of requests with one failure is noise,
 * not an outage.
 */
export function objectiveStatus<Name extends string>(options: {
  name: Name;
  objective: number;
  description: string;
  periodMs: number;
  windows: Map<number, { total: number; bad: number }>;
  minRequests: number;
}): ObjectiveStatus<Name> {
  const { name, objective, description, periodMs, windows, minRequests } =
    options;
  const rate = (windowMs: number) => {
    const c = windows.get(windowMs)!;
    return burnRate(c.bad, c.total, objective);
  };
  const period = windows.get(periodMs)!;
  const budget = errorBudget(period.bad, period.total, objective, periodMs);
  const sli = period.total === 0 ? null : 1 - period.bad / period.total;

  const burnRates: Record<string, number | null> = {};
  for (const w of BURN_RATE_WINDOWS_MS) {
    burnRates[formatDuration(w)] = rate(w) ?? null;
  }

  return {
    name,
    objective,
    description,
    sli,
    status: statusOf(sli, objective),
    errorBudget: {
      remainingFraction: budget.remainingFraction,
      remainingSeconds: budget.remainingMs / 1000,
    },
    burnRates,
    alerts: BURN_RATE_TIERS.map(tier => {
      const longRate = rate(tier.longWindowMs);
      const shortRate = rate(tier.shortWindowMs);
      return {
        tier: tier.name,
        severity: tier.severity,
        factor: tier.factor,
        longWindow: formatDuration(tier.longWindowMs),
        shortWindow: formatDuration(tier.shortWindowMs),
        burning:
          longRate !== undefined &&
          shortRate !== undefined &&
          windows.get(tier.longWindowMs)!.total >= minRequests &&
          longRate >= tier.factor &&
          shortRate >= tier.factor,
      };
    }),
  };
}
