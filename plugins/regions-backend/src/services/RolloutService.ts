import { RegionDefinition } from '../config';
import { ArgoApplication, ArgoCdClient } from '../argocd/ArgoCdClient';
import {
  EngineRead,
  listItems,
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
/** An SLO burning its error budget faster than this holds a promotion. */
const MAX_BURN_RATE = 1;

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

function text(value: unknown) {
  return typeof value === 'string' ? value : undefined;
}

/** The service and region an SLO or alert is about, wherever it says so. */
function subject(item: Record<string, unknown>) {
  const labels = (item.labels ?? {}) as Record<string, unknown>;
  return {
    service: text(item.service) ?? text(labels.service),
    region: text(item.region) ?? text(labels.region),
  };
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
    slos: EngineRead<unknown>,
    alerts: EngineRead<unknown>,
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
      for (const slo of listItems(slos.data, 'slos')) {
        const { service: s, region } = subject(slo);
        const burn = Number(slo.burnRate ?? slo.burn_rate);
        if (
          s === service &&
          region &&
          done.includes(region) &&
          burn > MAX_BURN_RATE
        ) {
          decision = 'hold';
          reasons.push(
            `${service} in ${region} burns its error budget at ${burn}x`,
          );
        }
      }
    }

    if (alerts.status !== 'ok') {
      if (decision === 'promote') decision = 'unknown';
      reasons.push(`open alerts unknown: ${alerts.reason}`);
    } else {
      for (const alert of listItems(alerts.data, 'alerts')) {
        const { service: s, region } = subject(alert);
        const state = text(alert.state) ?? text(alert.status) ?? 'firing';
        if (
          s === service &&
          (!region || done.includes(region)) &&
          state === 'firing'
        ) {
          decision = 'hold';
          reasons.push(
            `open alert ${
              text(alert.name) ?? text(alert.id) ?? ''
            } on ${service}${region ? ` in ${region}` : ''}`.replace('  ', ' '),
          );
        }
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
