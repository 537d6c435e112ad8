import { useAppSearchParams } from '@backstage/frontend-plugin-api';
import { useCallback } from 'react';

/**
 * The page's selection, kept in the URL query so that a link or a reload
 * shows the same; an empty value removes its key.
 */
export function useUrlState() {
  const [params, setParams] = useAppSearchParams();

  const set = useCallback(
    (changes: Record<string, string | undefined>) =>
      setParams(
        previous => {
          const next = new URLSearchParams(previous);
          for (const [name, value] of Object.entries(changes)) {
            if (value) {
              next.set(name, value);
            } else {
              next.delete(name);
            }
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  const get = useCallback(
    (name: string) => params.get(name) ?? undefined,
    [params],
  );

  return { get, set };
}
