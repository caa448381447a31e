import { z } from 'zod';
import { decodeCursor, encodeCursor } from './fields';

/**
 * Lists sorted on arbitrary columns page by offset, wrapped in the opaque cursor of CONTRACTS.md
 * (`{ items, nextCursor }`), so that clients never depend on how a page is found.
 */
const offsetShape = z.object({ o: z.number().int().min(0).max(10_000_000) });
export function cursorOffset(cursor: string | undefined): number {
  return decodeCursor(cursor, offsetShape)?.o ?? 0;
}

export function page<T>(rows: T[], limit: number, offset: number) {
  return { items: rows.slice(0, limit), nextCursor: rows.length > limit ? encodeCursor({ o: offset + limit }) : null };
}
