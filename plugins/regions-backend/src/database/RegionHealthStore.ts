import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const MIGRATIONS_DIR = resolvePackagePath(
  '@internal/backstage-plugin-regions-backend',
  'migrations',
);

export type HealthState = 'healthy' | 'degraded' | 'down';
export type ProbeOutcome = 'ok' | 'partial' | 'fail';

export interface EndpointResult {
  url: string;
  ok: boolean;
  status?: number;
  latencyMs: number;
  error?: string;
}

/** One region's result of one probe round. */
export interface ProbeRound {
  regionId: string;
  checkedAtMs: number;
  outcome: ProbeOutcome;
  latencyMs: number;
  endpoints: EndpointResult[];
}

export interface RegionHealthRecord {
  regionId: string;
  state: HealthState;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  changedAtMs: number;
  checkedAtMs: number;
  lastProbe: ProbeRound;
}

export interface HistoryEntry extends ProbeRound {
  state: HealthState;
}

/** Region health state and probe history in the plugin's database. */
export class RegionHealthStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }) {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await db.migrate.latest({ directory: MIGRATIONS_DIR });
    }
    return new RegionHealthStore(db);
  }

  static fromKnex(db: Knex) {
    return new RegionHealthStore(db);
  }

  private constructor(private readonly db: Knex) {}

  async currentStates(): Promise<RegionHealthRecord[]> {
    const rows = await this.db('region_health').select();
    return rows.map(row => ({
      regionId: row.region_id,
      state: row.state,
      consecutiveFailures: Number(row.consecutive_failures),
      consecutiveSuccesses: Number(row.consecutive_successes),
      changedAtMs: Number(row.changed_at_ms),
      checkedAtMs: Number(row.checked_at_ms),
      lastProbe: JSON.parse(row.last_probe),
    }));
  }

  /** Saves the new states and their probe rounds in one transaction. */
  async saveRound(records: RegionHealthRecord[]) {
    await this.db.transaction(async tx => {
      for (const record of records) {
        const row = {
          region_id: record.regionId,
          state: record.state,
          consecutive_failures: record.consecutiveFailures,
          consecutive_successes: record.consecutiveSuccesses,
          changed_at_ms: record.changedAtMs,
          checked_at_ms: record.checkedAtMs,
          last_probe: JSON.stringify(record.lastProbe),
        };
        await tx('region_health').insert(row).onConflict('region_id').merge();
      }
      if (records.length > 0) {
        await tx('region_health_history').insert(
          records.map(record => ({
            region_id: record.regionId,
            checked_at_ms: record.lastProbe.checkedAtMs,
            outcome: record.lastProbe.outcome,
            state: record.state,
            latency_ms: Math.round(record.lastProbe.latencyMs),
            endpoints: JSON.stringify(record.lastProbe.endpoints),
          })),
        );
      }
    });
  }

  async history(regionId: string, limit: number): Promise<HistoryEntry[]> {
    const rows = await this.db('region_health_history')
      .where({ region_id: regionId })
      .orderBy('checked_at_ms', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(row => ({
      regionId: row.region_id,
      checkedAtMs: Number(row.checked_at_ms),
      outcome: row.outcome,
      state: row.state,
      latencyMs: Number(row.latency_ms),
      endpoints: JSON.parse(row.endpoints),
    }));
  }

  async deleteHistoryBefore(ms: number): Promise<number> {
    return this.db('region_health_history')
      .where('checked_at_ms', '<', ms)
      .delete();
  }
}
