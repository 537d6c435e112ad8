import { createApiRef } from '@backstage/frontend-plugin-api';
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

/**
 * What the portal pages ask the observability engine. One method per route
 * of `/api/observability`; the Regions, Zero trust, Alerts and SLO pages
 * add their own methods (or their own API) when their backends exist.
 */
export interface ObservabilityApi {
  searchTraces(query: TraceQuery): Promise<TraceSummary[]>;
  getTrace(traceId: string): Promise<Trace>;
  searchLogs(query: LogQuery): Promise<LogPage>;
  getPerformanceOverview(window: TimeWindow): Promise<PerformanceOverview>;
  getServiceGraph(window: TimeWindow): Promise<ServiceGraph>;
  getHealth(): Promise<EngineHealth>;
}

export const observabilityApiRef = createApiRef<ObservabilityApi>({
  id: 'plugin.observability.api',
});
