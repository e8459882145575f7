/**
 * The `fields` of `user.updated`: the keys of a patch that set something (the API's own names,
 * e.g. `name`, `metadata`, `disabled`), never their values.
 *
 * @example
 * changedFields({ name: 'Ada', metadata: undefined }); // ['name']
 */
export function changedFields(patch: object): string[] {
  return Object.entries(patch)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
}
