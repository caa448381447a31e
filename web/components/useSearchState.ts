import { useNavigate, useSearch } from '@tanstack/react-router';
import { useCallback } from 'react';

/** Keeps a list's filters, search and sort in the URL (shareable, kept on back), as plain strings. */
export function useSearchState<T extends Record<string, string | undefined>>(): [T, (patch: Partial<T>) => void] {
  const search = useSearch({ strict: false }) as T;
  const navigate = useNavigate();
  const set = useCallback(
    (patch: Partial<T>) => {
      void navigate({
        to: '.',
        replace: true,
        search: ((prev: Record<string, unknown>) => {
          const next: Record<string, unknown> = { ...prev, ...patch };
          for (const k of Object.keys(next)) if (next[k] === undefined || next[k] === '') delete next[k];
          return next;
        }) as never,
      });
    },
    [navigate],
  );
  return [search, set];
}

/** Route option: keep every string search parameter (the pages decide what they mean). */
export function stringSearch(s: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)]));
}
