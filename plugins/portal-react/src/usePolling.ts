import { useCallback, useEffect, useRef, useState } from 'react';

/** How often a view asks its backend again. */
export const POLL_INTERVAL_MS = 10_000;

export interface Polled<T> {
  value?: T;
  /** True until the first answer for the current key. */
  loading: boolean;
  error?: Error;
  refresh: () => void;
}

/**
 * Calls `load` at once, every `intervalMs`, and whenever `key` changes.
 * Only the answer to the newest call is kept, so a slow answer never
 * replaces a fresher one; the last value stays on screen while polling.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  key: string,
  intervalMs = POLL_INTERVAL_MS,
): Polled<T> {
  const [answer, setAnswer] = useState<{
    key: string;
    value?: T;
    error?: Error;
  }>();
  const loadRef = useRef(load);
  loadRef.current = load;
  const latest = useRef(0);

  const refresh = useCallback(() => {
    const call = ++latest.current;
    loadRef.current().then(
      value => call === latest.current && setAnswer({ key, value }),
      error => call === latest.current && setAnswer({ key, error }),
    );
  }, [key]);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, intervalMs);
    return () => {
      clearInterval(timer);
      latest.current += 1;
    };
  }, [refresh, intervalMs]);

  const current = answer?.key === key ? answer : undefined;
  return {
    value: current?.value,
    error: current?.error,
    loading: !current,
    refresh,
  };
}
