import { TimeWindow } from '../database/TelemetryStore';

/** What a query covers when it names no window. */
const DEFAULT_WINDOW_MS = 60 * 60 * 1000;

/** A window's ends, each optional: up to now, an hour long by default. */
export interface WindowQuery {
  fromMs?: number;
  toMs?: number;
}

/**
 * Fills in a window's missing ends: up to now, and `defaultMs` (an hour
 * unless the route says otherwise) before `to`.
 */
export function resolveWindow(
  query: WindowQuery,
  defaultMs = DEFAULT_WINDOW_MS,
): TimeWindow {
  const toMs = query.toMs ?? Date.now();
  return { fromMs: query.fromMs ?? toMs - defaultMs, toMs };
}

/** A window's ends as RFC 3339 times, as responses give them. */
export function describeWindow(window: TimeWindow) {
  return {
    from: new Date(window.fromMs).toISOString(),
    to: new Date(window.toMs).toISOString(),
  };
}
