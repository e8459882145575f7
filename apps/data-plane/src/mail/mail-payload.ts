import { decryptSecret, encryptSecret } from '@hellojohn/tokens';

/** Additional data binding a sealed payload to its tenant's outbox (design §7 "Mail"). */
const aadOf = (tenantId: string): string => `tenant:${tenantId}:mail`;

/**
 * Seals a mail's template variables for the outbox: they hold links with one-time tokens, which
 * must not sit in the tenant database in the clear. Bound to the tenant, so a row copied into
 * another tenant's outbox does not open there.
 */
export function sealMailVariables(
  masterKey: Buffer,
  tenantId: string,
  variables: Record<string, unknown>,
): string {
  return encryptSecret(masterKey, JSON.stringify(variables), aadOf(tenantId));
}

/** Opens a payload sealed by {@link sealMailVariables}; throws when it does not open. */
export function openMailVariables(
  masterKey: Buffer,
  tenantId: string,
  payload: string,
): Record<string, unknown> {
  const parsed: unknown = JSON.parse(
    decryptSecret(masterKey, payload, aadOf(tenantId)).toString('utf8'),
  );
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('mail payload is not an object');
  }
  return parsed as Record<string, unknown>;
}
