import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { z } from 'zod';

type Fetch = typeof fetch;

/** A read from the observability engine: data, absent (404) or failed. */
export type EngineRead<T> =
  | { status: 'ok'; data: T }
  | { status: 'unknown'; reason: string };

export interface ServicePerformance {
  service: string;
  region: string;
  requestRate: number;
  errorRate: number;
  /** Requests answered 429, from the spans' HTTP status. */
  rateLimited?: { requests: number; rate: number };
}

/*
 * The parts of the observability engine's answers that this plugin reads,
 * as plugins/observability-backend defines them (SloStatus and
 * KpiSloStatus in src/slos, Alert in src/alerts/types.ts, the paths in its
 * src/schema/openapi.yaml). An answer of another shape is reported, not
 * guessed at.
 */
const objectiveShape = z.object({
  name: z.string(),
  /** Per window (`5m`, `1h`, ...); null for a window without requests. */
  burnRates: z.record(z.string(), z.number().nullable()),
  alerts: z.array(
    z.object({
      tier: z.string(),
      severity: z.string(),
      longWindow: z.string(),
      burning: z.boolean(),
    }),
  ),
});

const sloShape = z.object({
  id: z.string(),
  service: z.string(),
  region: z.string(),
  objectives: z.array(objectiveShape),
});

const sloListShape = z.object({
  slos: z.array(sloShape),
  businessKpiSlos: z.array(sloShape).optional(),
});

const alertShape = z.object({
  id: z.string(),
  ruleId: z.string(),
  severity: z.string(),
  service: z.string(),
  region: z.string(),
  state: z.enum(['firing', 'acknowledged', 'resolved']),
  annotations: z.record(z.string(), z.string()),
});

const alertListShape = z.object({ alerts: z.array(alertShape) });

export type EngineSlo = z.infer<typeof sloShape>;
export type EngineAlert = z.infer<typeof alertShape>;

function shaped<T>(
  read: EngineRead<unknown>,
  shape: z.ZodType<T>,
  path: string,
): EngineRead<T> {
  if (read.status !== 'ok') return read;
  const parsed = shape.safeParse(read.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      status: 'unknown',
      reason: `the observability engine's ${path} answer is not as expected at '${issue.path.join(
        '.',
      )}': ${issue.message}`,
    };
  }
  return { status: 'ok', data: parsed.data };
}

/**
 * Reads the observability engine's API with this plugin's own service
 * token, as any other caller would.
 */
export class ObservabilityClient {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      fetch?: Fetch;
    },
  ) {}

  private async get<T>(path: string): Promise<EngineRead<T>> {
    const { discovery, auth } = this.options;
    const doFetch = this.options.fetch ?? fetch;
    const url = `${await discovery.getBaseUrl('observability')}${path}`;
    try {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'observability',
      });
      const response = await doFetch(url, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(5000),
      });
      if (response.status === 404) {
        return {
          status: 'unknown',
          reason: `the observability engine has no ${path} (404)`,
        };
      }
      if (!response.ok) {
        return {
          status: 'unknown',
          reason: `the observability engine answered ${response.status} for ${path}`,
        };
      }
      return { status: 'ok', data: (await response.json()) as T };
    } catch (error) {
      return {
        status: 'unknown',
        reason: `the observability engine could not be read at ${path}: ${String(
          error,
        )}`,
      };
    }
  }

  async performance(): Promise<EngineRead<ServicePerformance[]>> {
    const read = await this.get<{ services?: ServicePerformance[] }>(
      '/performance/overview',
    );
    if (read.status !== 'ok') return read;
    return { status: 'ok', data: read.data.services ?? [] };
  }

  /** Every SLO: of requests per service and region, and of business KPIs. */
  async slos(): Promise<EngineRead<EngineSlo[]>> {
    const read = shaped(await this.get('/slos'), sloListShape, '/slos');
    if (read.status !== 'ok') return read;
    return {
      status: 'ok',
      data: [...read.data.slos, ...(read.data.businessKpiSlos ?? [])],
    };
  }

  /** The open alerts: firing, and acknowledged but not yet resolved. */
  async alerts(): Promise<EngineRead<EngineAlert[]>> {
    const reads = await Promise.all(
      ['firing', 'acknowledged'].map(async state => {
        const path = `/alerts?state=${state}&limit=500`;
        return shaped(await this.get(path), alertListShape, path);
      }),
    );
    const alerts: EngineAlert[] = [];
    for (const read of reads) {
      if (read.status !== 'ok') return read;
      alerts.push(...read.data.alerts);
    }
    return { status: 'ok', data: alerts };
  }
}
