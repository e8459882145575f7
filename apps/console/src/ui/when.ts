/** A timestamp of the API in the operator's locale; `null` (never) as an empty cell. */
export function when(iso: string | null): string {
  return iso === null ? '' : new Date(iso).toLocaleString();
}
