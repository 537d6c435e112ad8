import { NotFoundError } from '@backstage/errors';
import { RegionDefinition } from '../config';
import { HealthMonitor, servingRegion } from './HealthMonitor';
import { EngineRead, ServicePerformance } from './ObservabilityClient';
import { NginxRouting } from '../nginx/NginxRouting';

/**
 * The region model with live health: each configured region, its state,
 * where its clients go now and its failover target if it went down.
 */
export class RegionService {
  private readonly byId: Map<string, RegionDefinition>;

  constructor(
    private readonly options: {
      regions: RegionDefinition[];
      health: Pick<HealthMonitor, 'states' | 'history'>;
    },
  ) {
    this.byId = new Map(options.regions.map(r => [r.id, r]));
  }

  private describe(
    region: RegionDefinition,
    states: Awaited<ReturnType<HealthMonitor['states']>>,
  ) {
    const record = states.get(region.id);
    const isDown = (id: string) => states.get(id)?.state === 'down';
    return {
      id: region.id,
      title: region.title,
      role: region.role,
      location: { latitude: region.latitude, longitude: region.longitude },
      kubernetesCluster: region.kubernetesCluster,
      argocdUrl: region.argocd?.url,
      capacity: { requestsPerSecond: region.capacityRps },
      healthEndpoints: region.healthEndpoints,
      entityRef: region.entityRef,
      health: record
        ? {
            state: record.state,
            since: new Date(record.changedAtMs).toISOString(),
            checkedAt: new Date(record.checkedAtMs).toISOString(),
            consecutiveFailures: record.consecutiveFailures,
            consecutiveSuccesses: record.consecutiveSuccesses,
            lastProbe: record.lastProbe,
          }
        : { state: 'unknown' as const },
      // Where the region's clients are served now, and where they would go
      // if it went down.
      servedBy: servingRegion(region, this.byId, isDown) ?? null,
      failoverTarget:
        servingRegion(
          region,
          this.byId,
          id => id === region.id || isDown(id),
        ) ?? null,
    };
  }

  async list() {
    const states = await this.options.health.states();
    return this.options.regions.map(r => this.describe(r, states));
  }

  async get(id: string, historyLimit: number) {
    const region = this.byId.get(id);
    if (!region) {
      throw new NotFoundError(`no region '${id}'`);
    }
    const [states, history] = await Promise.all([
      this.options.health.states(),
      this.options.health.history(id, historyLimit),
    ]);
    return {
      ...this.describe(region, states),
      history: history.map(h => ({
        checkedAt: new Date(h.checkedAtMs).toISOString(),
        outcome: h.outcome,
        state: h.state,
        latencyMs: h.latencyMs,
        endpoints: h.endpoints,
      })),
    };
  }
}

/**
 * The nginx rate limits per public API, with each API's traffic per
 * region from the observability engine.
 */
export async function rateLimitReport(options: {
  nginx: NginxRouting;
  regions: RegionDefinition[];
  apiServices: Record<string, string>;
  performance: EngineRead<ServicePerformance[]>;
}) {
  const { nginx, regions, apiServices, performance } = options;
  return {
    source: nginx.file,
    traffic:
      performance.status === 'ok'
        ? 'observability engine, last 15 minutes'
        : performance.reason,
    rejected:
      performance.status === 'ok'
        ? "observability engine: the service's server spans that answered 429 (http.response.status_code), last 15 minutes"
        : performance.reason,
    limits: nginx.rateLimits.map(use => {
      const zone = nginx.zones.find(z => z.zone === use.zone);
      const service = apiServices[use.zone];
      return {
        zone: use.zone,
        hosts: use.serverNames,
        location: use.location ?? null,
        rate: zone?.rate ?? null,
        ratePerSecond: zone?.ratePerSecond ?? null,
        key: zone?.key ?? null,
        burst: use.burst,
        nodelay: use.nodelay,
        rejectStatus: use.status,
        service: service ?? null,
        regions: regions.map(region => {
          const stats =
            performance.status === 'ok'
              ? performance.data.find(
                  s => s.service === service && s.region === region.id,
                )
              : undefined;
          return {
            region: region.id,
            requestRate: stats?.requestRate ?? null,
            errorRate: stats?.errorRate ?? null,
            rejectedRate: stats?.rateLimited?.rate ?? null,
          };
        }),
      };
    }),
  };
}
