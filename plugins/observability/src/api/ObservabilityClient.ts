import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ObservabilityApi } from './ObservabilityApi';
import {
  Alert,
  AlertGroup,
  AlertHistory,
  AlertPage,
  AlertQuery,
  AlertRule,
  AlertRuleView,
  BusinessMetrics,
  EngineHealth,
  NewSilence,
  SecurityDashboard,
  Silence,
  Slo,
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

  async listAlerts(query: AlertQuery): Promise<AlertPage> {
    return this.get<AlertPage>('/alerts', { ...query });
  }

  async getAlert(id: string): Promise<Alert> {
    return this.get<Alert>(`/alerts/${encodeURIComponent(id)}`);
  }

  async getAlertGroups(): Promise<AlertGroup[]> {
    const body = await this.get<{ groups: AlertGroup[] }>('/alerts/groups');
    return body.groups;
  }

  async getAlertHistory(window: TimeWindow): Promise<AlertHistory> {
    return this.get<AlertHistory>('/alerts/history', { ...window });
  }

  async acknowledgeAlert(id: string, comment?: string): Promise<Alert> {
    return this.send<Alert>(
      'POST',
      `/alerts/${encodeURIComponent(id)}/acknowledge`,
      comment ? { comment } : {},
    );
  }

  async resolveAlert(id: string, reason: string): Promise<Alert> {
    return this.send<Alert>(
      'POST',
      `/alerts/${encodeURIComponent(id)}/resolve`,
      { reason },
    );
  }

  async listSilences(): Promise<Silence[]> {
    const body = await this.get<{ silences: Silence[] }>('/silences');
    return body.silences;
  }

  async createSilence(silence: NewSilence): Promise<Silence> {
    return this.send<Silence>('POST', '/silences', silence);
  }

  async expireSilence(id: string): Promise<Silence> {
    return this.send<Silence>('DELETE', `/silences/${encodeURIComponent(id)}`);
  }

  async listAlertRules(): Promise<AlertRuleView[]> {
    const body = await this.get<{ rules: AlertRuleView[] }>('/alert-rules');
    return body.rules;
  }

  async createAlertRule(rule: AlertRule): Promise<AlertRuleView> {
    return this.send<AlertRuleView>('POST', '/alert-rules', rule);
  }

  async deleteAlertRule(id: string): Promise<void> {
    await this.send<void>('DELETE', `/alert-rules/${encodeURIComponent(id)}`);
  }

  async listSlos(): Promise<Slo[]> {
    const body = await this.get<{ slos: Slo[] }>('/slos');
    return body.slos;
  }

  async getSlo(id: string): Promise<Slo> {
    return this.get<Slo>(`/slos/${encodeURIComponent(id)}`);
  }

  async getBusinessMetrics(
    query: TimeWindow & { region?: string },
  ): Promise<BusinessMetrics> {
    return this.get<BusinessMetrics>('/business/metrics', { ...query });
  }

  async getSecurityDashboard(window: TimeWindow): Promise<SecurityDashboard> {
    return this.get<SecurityDashboard>('/security/dashboard', { ...window });
  }

  /** A change: JSON in, JSON out, nothing for 204. */
  private async send<T>(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('observability');

    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
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
