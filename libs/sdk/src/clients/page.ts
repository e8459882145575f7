/** docs/api.md: every list answers `{ data, next_cursor }`. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface PageQuery {
  /** 1-100; the services default to 20. */
  limit?: number;
  /** `next_cursor` from the previous page. */
  cursor?: string;
}

/**
 * Walks every page of a list, passing `next_cursor` back until it is `null`.
 *
 * @example
 * ```ts
 * for await (const tenant of paginate((cursor) => cp.tenants.list({ cursor }))) {
 *   console.log(tenant.slug);
 * }
 * ```
 */
export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.data;
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
}
