import {
  AlertGroup,
  Region,
  RolloutStatus,
  ServicePerformance,
  SloStatus,
} from '../../api';

/** A read that may have failed on its own, without failing the page. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: Error };

export interface RegionSummary {
  /** Requests per second summed over every service in the region. */
  requestRate?: number;
  /** The smallest remaining error budget of the region's objectives. */
  lowestBudget?: { fraction: number; sloId: string; objective: string };
  breachedObjectives?: number;
  openAlerts?: { firing: number; acknowledged: number };
  /** Live colour per application; `mixed` when they differ. */
  colour?: {
    live: 'blue' | 'green' | 'mixed' | 'none';
    blue: number;
    green: number;
    total: number;
  };
  colourError?: string;
}

/**
 * Folds the observability engine's per-service numbers and the Argo CD
 * rollouts into one summary per region. A signal that could not be read
 * leaves its fields undefined.
 */
export function summariseRegion(
  region: Region,
  signals: {
    performance: Settled<ServicePerformance[]>;
    slos: Settled<SloStatus[]>;
    alerts: Settled<AlertGroup[]>;
    rollouts: Settled<RolloutStatus>;
  },
): RegionSummary {
  const summary: RegionSummary = {};
  const { performance, slos, alerts, rollouts } = signals;

  if (performance.ok) {
    summary.requestRate = performance.value
      .filter(s => s.region === region.id)
      .reduce((sum, s) => sum + s.requestRate, 0);
  }

  if (slos.ok) {
    let breached = 0;
    for (const slo of slos.value.filter(s => s.region === region.id)) {
      for (const objective of slo.objectives) {
        if (objective.status === 'breached') {
          breached += 1;
        }
        if (objective.status === 'no_data') {
          continue;
        }
        const fraction = objective.errorBudget.remainingFraction;
        if (!summary.lowestBudget || fraction < summary.lowestBudget.fraction) {
          summary.lowestBudget = {
            fraction,
            sloId: slo.id,
            objective: objective.name,
          };
        }
      }
    }
    summary.breachedObjectives = breached;
  }

  if (alerts.ok) {
    summary.openAlerts = alerts.value
      .filter(g => g.region === region.id)
      .reduce(
        (sum, g) => ({
          firing: sum.firing + g.firing,
          acknowledged: sum.acknowledged + g.acknowledged,
        }),
        { firing: 0, acknowledged: 0 },
      );
  }

  if (rollouts.ok) {
    const entry = rollouts.value.regions.find(r => r.region === region.id);
    if (entry?.error) {
      summary.colourError = entry.error;
    } else if (entry) {
      const blue = entry.applications.filter(a => a.liveColour === 'blue');
      const green = entry.applications.filter(a => a.liveColour === 'green');
      let live: 'blue' | 'green' | 'mixed' | 'none' = 'none';
      if (blue.length > 0 && green.length > 0) {
        live = 'mixed';
      } else if (blue.length > 0) {
        live = 'blue';
      } else if (green.length > 0) {
        live = 'green';
      }
      summary.colour = {
        live,
        blue: blue.length,
        green: green.length,
        total: entry.applications.length,
      };
    }
  }

  return summary;
}

export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}
