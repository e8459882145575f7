import { z } from 'zod';

/** `?limit=&cursor=` for every list. */
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1-100.'),
  cursor: z.string().min(1).max(512).optional().describe('Opaque cursor from `next_cursor`.'),
});

/**
 * The list envelope `{ data: [...], next_cursor }`.
 *
 * @example
 * const TenantList = pageOf(Tenant);
 */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}
