import { useCallback, useEffect, useRef, useState } from 'react';

/** How often the views ask the engine again. */
export const DEFAULT_POLL_INTERVAL_MS = 10_000;

export interface PolledState<T> {
  value?: T;
  /** Only true until the first answer: later polls keep showing the data. */
  loading: boolean;
  error?: Error;
  refresh: () => void;
}

/**
 * Loads with `load` now and again every `intervalMs`, and again whenever
 * `key` changes. An answer that arrives after a newer request started is
 * dropped, so a slow poll never overwrites fresher filters.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  key: string,
  intervalMs: number = DEFAULT_POLL_INTERVAL_MS,
): PolledState<T> {
  const [state, setState] = useState<{
    key: string;
    value?: T;
    error?: Error;
    done: boolean;
  }>({ key, done: false });
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);

  const run = useCallback(() => {
    const current = ++generation.current;
    loadRef.current().then(
      value => {
        if (current === generation.current) {
          setState({ key, value, done: true });
        }
      },
      error => {
        if (current === generation.current) {
          setState({ key, error, done: true });
        }
      },
    );
  }, [key]);

  useEffect(() => {
    run();
    const timer = setInterval(run, intervalMs);
    return () => {
      clearInterval(timer);
      generation.current += 1;
    };
  }, [run, intervalMs]);

  // Data for other filters is not shown as if it answered these.
  const fresh = state.key === key;
  return {
    value: fresh ? state.value : undefined,
    error: fresh ? state.error : undefined,
    loading: !fresh || !state.done,
    refresh: run,
  };
}
