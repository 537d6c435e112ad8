import { InputError } from '@backstage/errors';
import { RegionDefinition } from '../config';
import { HealthMonitor, servingRegion } from './HealthMonitor';
import { EngineRead, ServicePerformance } from './ObservabilityClient';
import { RoutingService } from './RoutingService';

export interface WhatIfAnswer {
  down: string[];
  /** Client networks (from the nginx geo block) whose region changes. */
  moves: Array<{ network: string; from: string; to: string | null }>;
  regions: Array<{
    region: string;
    down: boolean;
    currentRps: number;
    addedRps: number;
    totalRps: number;
    capacityRps: number;
    utilisation: number;
    capacityHolds: boolean;
  }>;
  /** Clients that no region can serve, as a request rate. */
  unservedRps: number;
  traffic: string;
}

/**
 * Failover what-if: with some regions down (on top of those down now),
 * which client networks move where, how much request rate each surviving
 * region gains from current traffic, and whether its capacity holds.
 */
export class WhatIfService {
  constructor(
    private readonly options: {
      regions: RegionDefinition[];
      routing: RoutingService;
      health: Pick<HealthMonitor, 'states'>;
      performance: () => Promise<EngineRead<ServicePerformance[]>>;
      entryServices: string[];
    },
  ) {}

  async failover(down: string[]): Promise<WhatIfAnswer> {
    const regions = new Map(this.options.regions.map(r => [r.id, r]));
    for (const id of down) {
      if (!regions.has(id)) {
        throw new InputError(`what-if names unknown region '${id}'`);
      }
    }

    const states = await this.options.health.states();
    const downNow = (id: string) => states.get(id)?.state === 'down';
    const downThen = (id: string) => down.includes(id) || downNow(id);
    const target = (id: string, isDown: (id: string) => boolean) => {
      const region = regions.get(id);
      return region ? servingRegion(region, regions, isDown) ?? null : null;
    };

    const nginx = this.options.routing.nginx;
    const geo = nginx.geos.get(this.options.routing.routingVariable);
    const networks = geo
      ? [
          ...geo.entries.map(e => ({ network: e.network, region: e.value })),
          { network: 'default', region: geo.defaultValue },
        ]
      : [];
    const moves = networks
      .map(n => ({
        network: n.network,
        from: target(n.region, downNow) ?? n.region,
        to: target(n.region, downThen),
      }))
      .filter(m => m.from !== m.to);

    // A region's load is the entry traffic of the clients nginx sends it.
    const performance = await this.options.performance();
    const demand = new Map<string, number>();
    if (performance.status === 'ok') {
      for (const s of performance.data) {
        if (this.options.entryServices.includes(s.service)) {
          demand.set(s.region, (demand.get(s.region) ?? 0) + s.requestRate);
        }
      }
    }

    const load = (isDown: (id: string) => boolean) => {
      const totals = new Map<string, number>();
      let unserved = 0;
      for (const [id, rps] of demand) {
        const to = target(id, isDown);
        if (to) totals.set(to, (totals.get(to) ?? 0) + rps);
        else unserved += rps;
      }
      return { totals, unserved };
    };
    const now = load(downNow);
    const then = load(downThen);

    return {
      down,
      moves,
      regions: this.options.regions.map(r => {
        const currentRps = now.totals.get(r.id) ?? 0;
        const totalRps = then.totals.get(r.id) ?? 0;
        return {
          region: r.id,
          down: downThen(r.id),
          currentRps,
          addedRps: Math.max(0, totalRps - currentRps),
          totalRps,
          capacityRps: r.capacityRps,
          utilisation: totalRps / r.capacityRps,
          capacityHolds: totalRps <= r.capacityRps,
        };
      }),
      unservedRps: then.unserved,
      traffic:
        performance.status === 'ok'
          ? 'request rates of the entry services over the last 15 minutes'
          : `current traffic unknown: ${performance.reason}`,
    };
  }
}
