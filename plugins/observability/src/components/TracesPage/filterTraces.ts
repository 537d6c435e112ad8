import { TraceSummary } from '../../api';

export interface TraceFilters {
  operation?: string;
  minMs?: number;
  maxMs?: number;
  status?: 'ok' | 'error';
}

/**
 * The filters the engine's trace search does not take yet (it filters by
 * service and time only), applied to the page of traces it returned.
 */
export function filterTraces(
  traces: TraceSummary[],
  filters: TraceFilters,
): TraceSummary[] {
  const operation = filters.operation?.toLowerCase();

  return traces.filter(trace => {
    if (operation && !trace.rootName.toLowerCase().includes(operation)) {
      return false;
    }
    if (filters.minMs !== undefined && trace.durationMs < filters.minMs) {
      return false;
    }
    if (filters.maxMs !== undefined && trace.durationMs > filters.maxMs) {
      return false;
    }
    if (filters.status === 'error' && !trace.error) {
      return false;
    }
    if (filters.status === 'ok' && trace.error) {
      return false;
    }
    return true;
  });
}

/** A number from the URL, or undefined when it is missing or not a number. */
export function numberParam(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}
