/**
 * A `LIKE` pattern matching values that start with (`prefix`) or contain (`contains`) `value`,
 * its `\`, `%` and `_` escaped with `\`. Use it with an explicit `escape ?` bound to `\`:
 * SQLite has no default LIKE escape character.
 */
export function likePattern(value: string, match: 'prefix' | 'contains'): string {
  const escaped = value.replace(/[\\%_]/g, (c) => `\\${c}`);
  return match === 'prefix' ? `${escaped}%` : `%${escaped}%`;
}
