import { createApiRef } from '@backstage/frontend-plugin-api';
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

/**
 * What the portal pages ask the observability engine. One method per route
 * of `/api/observability`.
 */
export interface ObservabilityApi {
  searchTraces(query: TraceQuery): Promise<TraceSummary[]>;
  getTrace(traceId: string): Promise<Trace>;
  searchLogs(query: LogQuery): Promise<LogPage>;
  getPerformanceOverview(window: TimeWindow): Promise<PerformanceOverview>;
  getServiceGraph(window: TimeWindow): Promise<ServiceGraph>;
  getHealth(): Promise<EngineHealth>;

  listAlerts(query: AlertQuery): Promise<AlertPage>;
  getAlert(id: string): Promise<Alert>;
  getAlertGroups(): Promise<AlertGroup[]>;
  getAlertHistory(window: TimeWindow): Promise<AlertHistory>;
  /** Needs a signed-in user allowed `observability.alert.update`. */
  acknowledgeAlert(id: string, comment?: string): Promise<Alert>;
  resolveAlert(id: string, reason: string): Promise<Alert>;
  listSilences(): Promise<Silence[]>;
  createSilence(silence: NewSilence): Promise<Silence>;
  /** Ends a silence now; the engine keeps it as expired. */
  expireSilence(id: string): Promise<Silence>;
  listAlertRules(): Promise<AlertRuleView[]>;
  createAlertRule(rule: AlertRule): Promise<AlertRuleView>;
  deleteAlertRule(id: string): Promise<void>;
  listSlos(): Promise<Slo[]>;
  /** `id` is `service@region`. */
  getSlo(id: string): Promise<Slo>;
  getBusinessMetrics(
    query: TimeWindow & { region?: string },
  ): Promise<BusinessMetrics>;
  getSecurityDashboard(window: TimeWindow): Promise<SecurityDashboard>;
}

export const observabilityApiRef = createApiRef<ObservabilityApi>({
  id: 'plugin.observability.api',
});
