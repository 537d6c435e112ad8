import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { ProbeSettings, RegionDefinition } from '../config';
import {
  EndpointResult,
  HealthState,
  ProbeOutcome,
  ProbeRound,
  RegionHealthRecord,
  RegionHealthStore,
} from '../database/RegionHealthStore';

/** How long a replica trusts the states it read from the database. */
const STATE_CACHE_MS = 200;

/** Prune history once in this many rounds. */
const PRUNE_EVERY_ROUNDS = 60;

type Fetch = typeof fetch;

/**
 * The next state of a region after a probe round. Hysteresis: one failed
 * round makes a healthy region degraded (still served), `failuresToDown`
 * consecutive failed rounds make it down (its clients go to the failover
 * region), and it takes `successesToHealthy` consecutive good rounds to be
 * healthy again, so a flapping region does not bounce traffic.
 */
export function nextHealth(
  previous: Pick<
    RegionHealthRecord,
    'state' | 'consecutiveFailures' | 'consecutiveSuccesses'
  >,
  outcome: ProbeOutcome,
  settings: Pick<ProbeSettings, 'failuresToDown' | 'successesToHealthy'>,
): {
  state: HealthState;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
} {
  if (outcome === 'ok') {
    const successes = previous.consecutiveSuccesses + 1;
    const recovered =
      previous.state === 'healthy' || successes >= settings.successesToHealthy;
    return {
      state: recovered ? 'healthy' : previous.state,
      consecutiveFailures: 0,
      consecutiveSuccesses: successes,
    };
  }

  if (outcome === 'partial') {
    // Some endpoints answer: the region serves, with less to spare.
    return {
      state: previous.state === 'down' ? 'down' : 'degraded',
      consecutiveFailures: 0,
      consecutiveSuccesses: 0,
    };
  }

  const failures = previous.consecutiveFailures + 1;
  return {
    state:
      failures >= settings.failuresToDown || previous.state === 'down'
        ? 'down'
        : 'degraded',
    consecutiveFailures: failures,
    consecutiveSuccesses: 0,
  };
}

/**
 * Probes every region's configured health endpoints, keeps each region's
 * state with hysteresis in the database and answers which regions are
 * down and where their clients go.
 */
export class HealthMonitor {
  private readonly regions: RegionDefinition[];
  private readonly settings: ProbeSettings;
  private readonly store: RegionHealthStore;
  private readonly logger: LoggerService;
  private readonly fetch: Fetch;
  private cache?: { atMs: number; states: Map<string, RegionHealthRecord> };
  private rounds = 0;

  static create(options: {
    regions: RegionDefinition[];
    settings: ProbeSettings;
    store: RegionHealthStore;
    logger: LoggerService;
    fetch?: Fetch;
  }) {
    return new HealthMonitor(options);
  }

  private constructor(options: {
    regions: RegionDefinition[];
    settings: ProbeSettings;
    store: RegionHealthStore;
    logger: LoggerService;
    fetch?: Fetch;
  }) {
    this.regions = options.regions;
    this.settings = options.settings;
    this.store = options.store;
    this.logger = options.logger;
    this.fetch = options.fetch ?? fetch;
  }

  /** Runs the probe rounds once across all replicas. */
  async schedule(scheduler: SchedulerService) {
    await scheduler.scheduleTask({
      id: 'regions-health-probe',
      frequency: { milliseconds: this.settings.intervalMs },
      timeout: { seconds: 30 },
      scope: 'global',
      fn: async () => {
        await this.probeRound();
      },
    });
  }

  private async probeEndpoint(url: string): Promise<EndpointResult> {
    const started = performance.now();
    try {
      const response = await this.fetch(url, {
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        redirect: 'manual',
      });
      await response.arrayBuffer().catch(() => undefined);
      return {
        url,
        ok: response.status >= 200 && response.status < 300,
        status: response.status,
        latencyMs: performance.now() - started,
      };
    } catch (error) {
      const name = (error as Error).name;
      return {
        url,
        ok: false,
        latencyMs: performance.now() - started,
        error:
          name === 'TimeoutError' || name === 'AbortError'
            ? `no answer within ${this.settings.timeoutMs} ms`
            : String((error as Error).message),
      };
    }
  }

  private async probeRegion(region: RegionDefinition): Promise<ProbeRound> {
    const checkedAtMs = Date.now();
    const endpoints = await Promise.all(
      region.healthEndpoints.map(url => this.probeEndpoint(url)),
    );
    const good = endpoints.filter(e => e.ok).length;
    let outcome: ProbeOutcome = 'partial';
    if (good === endpoints.length) outcome = 'ok';
    if (good === 0) outcome = 'fail';
    return {
      regionId: region.id,
      checkedAtMs,
      outcome,
      latencyMs: Math.max(0, ...endpoints.map(e => e.latencyMs)),
      endpoints,
    };
  }

  /** Probes every region once, applies hysteresis and stores the result. */
  async probeRound(): Promise<RegionHealthRecord[]> {
    const [rounds, previous] = await Promise.all([
      Promise.all(this.regions.map(region => this.probeRegion(region))),
      this.store.currentStates(),
    ]);
    const before = new Map(previous.map(r => [r.regionId, r]));
    const now = Date.now();

    const records = rounds.map(round => {
      const last = before.get(round.regionId) ?? {
        state: 'healthy' as HealthState,
        consecutiveFailures: 0,
        consecutiveSuccesses: 0,
        changedAtMs: now,
      };
      const next = nextHealth(last, round.outcome, this.settings);
      if (next.state !== last.state) {
        this.logger.info('Region health changed', {
          region: round.regionId,
          from: last.state,
          to: next.state,
          outcome: round.outcome,
        });
      }
      return {
        regionId: round.regionId,
        ...next,
        changedAtMs: next.state === last.state ? last.changedAtMs : now,
        checkedAtMs: now,
        lastProbe: round,
      };
    });

    await this.store.saveRound(records);
    this.cache = {
      atMs: Date.now(),
      states: new Map(records.map(r => [r.regionId, r])),
    };

    this.rounds++;
    if (this.rounds % PRUNE_EVERY_ROUNDS === 0) {
      await this.store.deleteHistoryBefore(
        now - this.settings.historyHours * 3_600_000,
      );
    }
    return records;
  }

  /**
   * The current state of every probed region, as the replica that ran the
   * last round stored it. Read from the database at most every 200 ms, so
   * every replica routes by the same states within that time.
   */
  async states(): Promise<Map<string, RegionHealthRecord>> {
    if (this.cache && Date.now() - this.cache.atMs < STATE_CACHE_MS) {
      return this.cache.states;
    }
    const records = await this.store.currentStates();
    this.cache = {
      atMs: Date.now(),
      states: new Map(records.map(r => [r.regionId, r])),
    };
    return this.cache.states;
  }

  history(regionId: string, limit: number) {
    return this.store.history(regionId, limit);
  }
}

/**
 * Where a region's clients go: the region itself unless it is down, else
 * the first region of its failover list that is not down (and not marked
 * down by a what-if). Undefined when every candidate is down.
 */
export function servingRegion(
  region: RegionDefinition,
  regions: ReadonlyMap<string, RegionDefinition>,
  isDown: (id: string) => boolean,
): string | undefined {
  if (!isDown(region.id)) return region.id;
  const seen = new Set<string>([region.id]);
  const queue = [...region.failover];
  // Follow failover lists onwards: if the first choice is down too, its
  // own failover region is the next candidate.
  while (queue.length > 0) {
    const candidate = queue.shift()!;
    if (seen.has(candidate)) continue;
    seen.add(candidate);
    if (!isDown(candidate)) return candidate;
    queue.push(...(regions.get(candidate)?.failover ?? []));
  }
  return undefined;
}
