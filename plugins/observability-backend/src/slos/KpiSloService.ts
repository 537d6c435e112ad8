import { Config } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import { TimeWindow } from '../database/TelemetryStore';
import {
  BusinessKpi,
  BusinessKpiGroup,
} from '../services/BusinessMetricsService';
import { BURN_RATE_WINDOWS_MS } from './burnRate';
import { DAY_MS, ObjectiveStatus, objectiveStatus } from './SloService';

/** Windows at or under this are read on every evaluation. */
const SHORT_WINDOW_LIMIT_MS = 3_600_000;

/**
 * The business KPIs that are a share of good events, each with the counts
 * it is the ratio of: the events that went well and all events.
 */
const RATIO_KPIS = {
  safety_check_compliance: {
    good: 'safety_checks_compliant',
    total: 'safety_checks',
    what: 'safety checks are compliant',
  },
  quiz_completion_rate: {
    good: 'quizzes_completed',
    total: 'quizzes_started',
    what: 'started quizzes are completed',
  },
  invoice_processing_rate: {
    good: 'invoices_processed',
    total: 'invoices_generated',
    what: 'generated invoices are processed',
  },
} as const satisfies Record<
  string,
  { good: BusinessKpi; total: BusinessKpi; what: string }
>;

export type KpiSloName = keyof typeof RATIO_KPIS;

export const KPI_SLO_NAMES = Object.keys(RATIO_KPIS) as KpiSloName[];

export interface KpiSloDefinition {
  kpi: KpiSloName;
  /** The share of good events asked for, 0 to 1. */
  objective: number;
  periodDays: number;
}

/** The SLO the platform keeps on its business KPIs unless config says. */
export const DEFAULT_KPI_SLOS: KpiSloDefinition[] = [
  { kpi: 'safety_check_compliance', objective: 0.95, periodDays: 30 },
];

/** A business KPI's SLO in one service and region. */
export interface KpiSloStatus {
  /** `kpi:<kpi>:<service>@<region>`. */
  id: string;
  kind: 'business_kpi';
  kpi: KpiSloName;
  service: string;
  region: string;
  period: string;
  evaluatedAt: string;
  objectives: Array<ObjectiveStatus<KpiSloName>>;
}

export function kpiSloId(kpi: string, service: string, region: string) {
  return `kpi:${kpi}:${service}@${region}`;
}

/**
 * Reads `observability.slos.businessKpis`: a list that replaces the
 * default (safety-check compliance at 95% over 30 days); an empty list
 * keeps no business SLO.
 */
export function readKpiSlos(config: Config): KpiSloDefinition[] {
  const list = config.getOptionalConfigArray('observability.slos.businessKpis');
  if (!list) {
    return DEFAULT_KPI_SLOS;
  }
  return list.map((entry, i) => {
    const where = `observability.slos.businessKpis[${i}]`;
    const kpi = entry.getString('kpi');
    if (!(KPI_SLO_NAMES as string[]).includes(kpi)) {
      throw new InputError(
        `${where}.kpi: '${kpi}' has no SLO; SLOs can be kept on ${KPI_SLO_NAMES.join(
          ', ',
        )}`,
      );
    }
    const objective = entry.getNumber('objective');
    if (!(objective > 0 && objective < 1)) {
      throw new InputError(
        `${where}.objective must be between 0 and 1 (exclusive), not ${objective}`,
      );
    }
    const periodDays = entry.getOptionalNumber('periodDays') ?? 30;
    if (!(Number.isInteger(periodDays) && periodDays > 0)) {
      throw new InputError(
        `${where}.periodDays must be a positive whole number, not ${periodDays}`,
      );
    }
    return { kpi: kpi as KpiSloName, objective, periodDays };
  });
}

interface Cache {
  readAtMs: number;
  byWindow: Map<number, BusinessKpiGroup[]>;
}

/**
 * SLOs on business KPIs that are shares of good events, such as
 * safety-check compliance: SLI, error budget (the bad events the period
 * may still have) and the same multi-window burn-rate alerts as request
 * SLOs, per service and region that exports the KPI's metrics.
 */
export class KpiSloService {
  private long?: Cache;

  constructor(
    private readonly options: {
      business: {
        kpiGroups(window: TimeWindow): Promise<BusinessKpiGroup[]>;
      };
      definitions: KpiSloDefinition[];
      longWindowRefreshMs: number;
      /** Events a tier's long window needs before it can burn. */
      minEvents: number;
    },
  ) {}

  async list(nowMs = Date.now()): Promise<KpiSloStatus[]> {
    const { definitions, business } = this.options;
    if (definitions.length === 0) {
      return [];
    }
    const periodsMs = definitions.map(d => d.periodDays * DAY_MS);
    const windows = [...new Set([...BURN_RATE_WINDOWS_MS, ...periodsMs])];
    const read = async (list: number[]) =>
      new Map(
        await Promise.all(
          list.map(
            async w =>
              [
                w,
                await business.kpiGroups({ fromMs: nowMs - w, toMs: nowMs }),
              ] as const,
          ),
        ),
      );

    const longWindows = windows.filter(w => w > SHORT_WINDOW_LIMIT_MS);
    if (
      !this.long ||
      nowMs - this.long.readAtMs >= this.options.longWindowRefreshMs
    ) {
      this.long = { readAtMs: nowMs, byWindow: await read(longWindows) };
    }
    const byWindow = new Map([
      ...this.long.byWindow,
      ...(await read(windows.filter(w => w <= SHORT_WINDOW_LIMIT_MS))),
    ]);

    const result: KpiSloStatus[] = [];
    for (const definition of definitions) {
      const { good, total, what } = RATIO_KPIS[definition.kpi];
      const periodMs = definition.periodDays * DAY_MS;
      const groups = new Map<string, { service: string; region: string }>();
      for (const row of byWindow.get(periodMs)!) {
        if (row.values[total] !== undefined) {
          groups.set(kpiSloId(definition.kpi, row.service, row.region), row);
        }
      }

      for (const [id, { service, region }] of groups) {
        const counts = new Map<number, { total: number; bad: number }>();
        for (const [w, rows] of byWindow) {
          const row = rows.find(
            r => r.service === service && r.region === region,
          );
          const all = row?.values[total] ?? 0;
          const goodCount = row?.values[good] ?? 0;
          counts.set(w, { total: all, bad: Math.max(0, all - goodCount) });
        }
        result.push({
          id,
          kind: 'business_kpi',
          kpi: definition.kpi,
          service,
          region,
          period: `${definition.periodDays}d`,
          evaluatedAt: new Date(nowMs).toISOString(),
          objectives: [
            objectiveStatus({
              name: definition.kpi,
              objective: definition.objective,
              description: `at least ${definition.objective * 100}% of ${what}`,
              periodMs,
              windows: counts,
              minRequests: this.options.minEvents,
            }),
          ],
        });
      }
    }
    return result.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async get(id: string, nowMs = Date.now()): Promise<KpiSloStatus> {
    const slo = (await this.list(nowMs)).find(s => s.id === id);
    if (!slo) {
      throw new NotFoundError(
        `No SLO '${id}': no such business KPI SLO or no data in its period`,
      );
    }
    return slo;
  }
}
