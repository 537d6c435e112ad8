import { TimeWindow } from '../../api';

/** The time windows the pages offer, as they appear in URLs. */
export const WINDOWS: Record<string, { label: string; ms: number }> = {
  '5m': { label: 'Last 5 minutes', ms: 5 * 60_000 },
  '15m': { label: 'Last 15 minutes', ms: 15 * 60_000 },
  '1h': { label: 'Last hour', ms: 60 * 60_000 },
  '6h': { label: 'Last 6 hours', ms: 6 * 60 * 60_000 },
  '24h': { label: 'Last 24 hours', ms: 24 * 60 * 60_000 },
};

export const DEFAULT_WINDOW = '15m';

/** Known window names only: an edited URL falls back to the default. */
export function windowName(value: string | null): string {
  return value && value in WINDOWS ? value : DEFAULT_WINDOW;
}

/** The window ending now; computed at each poll so that it moves on. */
export function resolveWindow(name: string, nowMs = Date.now()): TimeWindow {
  const { ms } = WINDOWS[windowName(name)];
  return {
    from: new Date(nowMs - ms).toISOString(),
    to: new Date(nowMs).toISOString(),
  };
}
