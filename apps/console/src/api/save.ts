import { seg, type Call } from './http';

/** POSTs a new item to the collection `base`, or PATCHes the item `id` of it when given. */
export function createOrUpdate<T>(
  call: Call,
  base: string,
  id: string | undefined,
  body: unknown,
): Promise<T> {
  return id === undefined
    ? call<T>('POST', base, { body })
    : call<T>('PATCH', `${base}/${seg(id)}`, { body });
}
