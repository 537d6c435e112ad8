import { RegionDefinition } from '../config';
import { ArgoApplication, ArgoCdClient } from '../argocd/ArgoCdClient';
import {
  EngineAlert,
  EngineRead,
  EngineSlo,
  ObservabilityClient,
} from './ObservabilityClient';

export type Colour = 'blue' | 'green';

export interface ApplicationStatus {
  name: string;
  service: string;
  syncStatus: string;
  health: string;
  revision?: string;
  targetRevision?: string;
  liveColour?: Colour;
  history: Array<{ id: number; revision?: string; deployedAt?: string }>;
}

export interface RegionRollout {
  region: string;
  argocdUrl?: string;
  applications: ApplicationStatus[];
  /** Set when the region's Argo CD instance could not be read. */
  error?: string;
}

export type ReleaseStage = 'done' | 'in-progress' | 'pending' | 'unknown';

export interface ServiceRelease {
  service: string;
  /** The newest revision: the one running in the first region of the order. */
  revision?: string;
  regions: Array<{ region: string; stage: ReleaseStage; revision?: string }>;
  nextRegion?: string;
  advice: PromotionAdvice;
}

export interface PromotionAdvice {
  decision: 'promote' | 'hold' | 'unknown' | 'complete';
  reasons: string[];
}

const REGION_LABEL = 'tms.example.com/region';
const COLOUR_ANNOTATION = 'tms.example.com/active-color';
/** An SLO burning its error budget faster than this over an hour holds a promotion. */
const MAX_BURN_RATE = 1;

/** The window whose burn rate the advice reads besides the alert tiers. */
const BURN_WINDOW = '1h';

function toStatus(app: ArgoApplication, region: string): ApplicationStatus {
  const colour = app.metadata.annotations?.[COLOUR_ANNOTATION];
  return {
    name: app.metadata.name,
    service:
      app.metadata.labels?.app ??
      app.metadata.name.replace(new RegExp(`-${region}$`), ''),
    syncStatus: app.status?.sync?.status ?? 'Unknown',
    health: app.status?.health?.status ?? 'Unknown',
    revision: app.status?.sync?.revision,
    targetRevision: app.spec.source?.targetRevision,
    liveColour: colour === 'blue' || colour === 'green' ? colour : undefined,
    history: (app.status?.history ?? [])
      .slice(-5)
      .reverse()
      .map(h => ({ id: h.id, revision: h.revision, deployedAt: h.deployedAt })),
  };
}

function stageOf(
  app: ApplicationStatus | undefined,
  revision?: string,
): ReleaseStage {
  if (!app || !revision) return 'unknown';
  if (app.revision !== revision) return 'pending';
  return app.syncStatus === 'Synced' && app.health === 'Healthy'
    ? 'done'
    : 'in-progress';
}

/**
 * Rollout status per region from each region's Argo CD, the release
 * position of every service along the rollout order, and advice on
 * promoting to the next region from the SLO burn rates and open alerts of
 * the regions that already run the release.
 */
export class RolloutService {
  constructor(
    private readonly options: {
      regions: RegionDefinition[];
      rolloutOrder: string[];
      observability: Pick<ObservabilityClient, 'slos' | 'alerts'>;
      fetch?: typeof fetch;
    },
  ) {}

  async regionRollouts(): Promise<RegionRollout[]> {
    const byId = new Map(this.options.regions.map(r => [r.id, r]));
    return Promise.all(
      this.options.rolloutOrder.map(async id => {
        const region = byId.get(id)!;
        if (!region.argocd) {
          return {
            region: id,
            applications: [],
            error: 'no Argo CD instance configured',
          };
        }
        const client = new ArgoCdClient({
          baseUrl: region.argocd.url,
          token: region.argocd.token,
          fetch: this.options.fetch,
        });
        try {
          const apps = await client.listApplications(`${REGION_LABEL}=${id}`);
          return {
            region: id,
            argocdUrl: region.argocd.url,
            applications: apps.map(app => toStatus(app, id)),
          };
        } catch (error) {
          // One unreachable Argo CD costs its own region, not the others.
          return {
            region: id,
            argocdUrl: region.argocd.url,
            applications: [],
            error: `Argo CD at ${region.argocd.url} could not be read: ${
              (error as Error).message
            }`,
          };
        }
      }),
    );
  }

  async status() {
    const [rollouts, slos, alerts] = await Promise.all([
      this.regionRollouts(),
      this.options.observability.slos(),
      this.options.observability.alerts(),
    ]);

    const services = [
      ...new Set(rollouts.flatMap(r => r.applications.map(a => a.service))),
    ].sort();
    const releases = services.map(service =>
      this.release(service, rollouts, slos, alerts),
    );

    return {
      order: this.options.rolloutOrder,
      regions: rollouts,
      releases,
      signals: {
        slos: slos.status === 'ok' ? 'read' : slos.reason,
        alerts: alerts.status === 'ok' ? 'read' : alerts.reason,
      },
    };
  }

  private release(
    service: string,
    rollouts: RegionRollout[],
    slos: EngineRead<EngineSlo[]>,
    alerts: EngineRead<EngineAlert[]>,
  ): ServiceRelease {
    const app = (region: RegionRollout) =>
      region.applications.find(a => a.service === service);
    const first = rollouts[0];
    const revision = first && !first.error ? app(first)?.revision : undefined;

    const regions = rollouts.map(r => ({
      region: r.region,
      stage: r.error ? ('unknown' as ReleaseStage) : stageOf(app(r), revision),
      revision: app(r)?.revision,
    }));
    const next = regions.find(r => r.stage !== 'done');
    if (!next) {
      return {
        service,
        revision,
        regions,
        advice: {
          decision: 'complete',
          reasons: ['every region runs the release'],
        },
      };
    }

    const done = regions.slice(0, regions.indexOf(next)).map(r => r.region);
    const reasons: string[] = [];
    let decision: PromotionAdvice['decision'] = 'promote';

    if (next.stage === 'unknown') {
      decision = 'unknown';
      reasons.push(`${next.region}: rollout state unknown`);
    }
    if (next.stage === 'in-progress') {
      decision = 'hold';
      reasons.push(`${next.region} is still syncing the release`);
    }

    if (slos.status !== 'ok') {
      if (decision === 'promote') decision = 'unknown';
      reasons.push(`SLO burn rate unknown: ${slos.reason}`);
    } else {
      for (const slo of slos.data) {
        if (slo.service !== service || !done.includes(slo.region)) continue;
        for (const objective of slo.objectives) {
          const tier = objective.alerts.find(a => a.burning);
          const burn = objective.burnRates[BURN_WINDOW];
          if (!tier && !(burn !== null && burn > MAX_BURN_RATE)) continue;
          decision = 'hold';
          reasons.push(
            tier
              ? `${service} in ${slo.region} burns its ${
                  objective.name
                } error budget at ${round(
                  objective.burnRates[tier.longWindow],
                )}x over ${tier.longWindow} (${tier.tier} burn-rate ${
                  tier.severity
                })`
              : `${service} in ${slo.region} burns its ${
                  objective.name
                } error budget at ${round(burn)}x over ${BURN_WINDOW}`,
          );
        }
      }
    }

    if (alerts.status !== 'ok') {
      if (decision === 'promote') decision = 'unknown';
      reasons.push(`open alerts unknown: ${alerts.reason}`);
    } else {
      for (const alert of alerts.data) {
        if (alert.service !== service || !done.includes(alert.region)) {
          continue;
        }
        decision = 'hold';
        const summary = alert.annotations.summary;
        reasons.push(
          `open alert ${alert.ruleId} (${alert.severity}, ${
            alert.state
          }) on ${service} in ${alert.region}${summary ? `: ${summary}` : ''}`,
        );
      }
    }

    if (decision === 'promote') {
      reasons.push(
        done.length > 0
          ? `healthy in ${done.join(
              ', ',
            )} with no open alerts and burn rates within budget`
          : 'first region of the order',
      );
    }
    return {
      service,
      revision,
      regions,
      nextRegion: next.region,
      advice: { decision, reasons },
    };
  }
}

function round(value: number | null | undefined) {
  return value === null || value === undefined
    ? 'unknown'
    : Number(value.toPrecision(3));
}
