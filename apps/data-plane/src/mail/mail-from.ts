/**
 * The From of a tenant's mail: its `mail.from` setting or HJ_MAIL_FROM. A sender written as
 * `Name <address>` is used as is; a bare address goes out under the tenant's display name, so
 * one HJ_MAIL_FROM serves every tenant recognisably. Both were validated as `mailFrom`
 * (@hellojohn/config) on the way in.
 */
export function mailFromOf(
  configured: string,
  tenantName: string,
): { name: string; address: string } {
  const named = /^([^<>"]*)<([^<>]+)>$/.exec(configured.trim());
  if (named) {
    const name = (named[1] ?? '').trim().replace(/^"|"$/g, '');
    return { name: name || tenantName, address: (named[2] ?? '').trim() };
  }
  return { name: tenantName, address: configured.trim() };
}
