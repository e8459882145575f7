import { z } from 'zod';

/**
 * One page of a keyset-paginated list, the shape of every list of both planes (docs/api.md):
 * `{ data, next_cursor }`, `next_cursor` null on the last page.
 *
 * @example
 * const TenantPage = pageOf(InternalTenant);
 */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}
