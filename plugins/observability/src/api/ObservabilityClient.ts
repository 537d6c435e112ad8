import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ObservabilityApi } from './ObservabilityApi';
import {
  EngineHealth,
  LogPage,
  LogQuery,
  PerformanceOverview,
  ServiceGraph,
  TimeWindow,
  Trace,
  TraceQuery,
  TraceSummary,
} from './types';

type QueryValues = Record<string, string | number | undefined>;

/** Talks to the observability backend plugin through Backstage's fetch. */
export class ObservabilityClient implements ObservabilityApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async searchTraces(query: TraceQuery): Promise<TraceSummary[]> {
    const body = await this.get<{ traces: TraceSummary[] }>('/traces', {
      ...query,
    });
    return body.traces;
  }

  async getTrace(traceId: string): Promise<Trace> {
    return this.get<Trace>(`/traces/${encodeURIComponent(traceId)}`);
  }

  async searchLogs(query: LogQuery): Promise<LogPage> {
    // The engine names the text filter `query`.
    const { text, ...rest } = query;
    return this.get<LogPage>('/logs', { ...rest, query: text });
  }

  async getPerformanceOverview(
    window: TimeWindow,
  ): Promise<PerformanceOverview> {
    return this.get<PerformanceOverview>('/performance/overview', {
      ...window,
    });
  }

  async getServiceGraph(window: TimeWindow): Promise<ServiceGraph> {
    return this.get<ServiceGraph>('/service-graph', { ...window });
  }

  async getHealth(): Promise<EngineHealth> {
    return this.get<EngineHealth>('/health');
  }

  private async get<T>(path: string, query: QueryValues = {}): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('observability');

    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      // Empty filters are left out: the engine rejects an empty service.
      if (value !== undefined && value !== '') {
        params.set(key, String(value));
      }
    }
    const search = params.size > 0 ? `?${params}` : '';

    const response = await this.fetchApi.fetch(`${baseUrl}${path}${search}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
