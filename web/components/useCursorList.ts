import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../api/client';

export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * A list of CONTRACTS.md pages (`{ items, nextCursor }`) loaded 50 at a time with "load more"; the previous rows stay
 * on screen while the filters change.
 */
export function useCursorList<T>(resource: string, params: URLSearchParams, pageSize = 50) {
  const list = useInfiniteQuery({
    queryKey: [resource, params.toString()],
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const p = new URLSearchParams(params);
      p.set('limit', String(pageSize));
      if (pageParam) p.set('cursor', pageParam);
      return api<Page<T>>('GET', `/api/v1/${resource}?${p}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  return { list, rows: list.data?.pages.flatMap((p) => p.items) ?? [] };
}
