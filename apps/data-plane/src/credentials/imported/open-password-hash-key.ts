import { createHmac } from 'node:crypto';
import type { TenantDb } from '@hellojohn/dal';
import { decryptSecret, deriveSubkey, encryptSecret } from '@hellojohn/tokens';

const aadOf = (tenantId: string, id: string): string =>
  `tenant:${tenantId}:password-hash-key:${id}`;

/**
 * Stores a hash scheme's project key (Firebase's signer key) once per tenant, sealed with the
 * master key, and answers its id. The same key sent again (on every line of a file, or in the
 * next import) is found by a keyed fingerprint, so the key itself is never compared or indexed.
 */
export async function storePasswordHashKey(
  db: TenantDb,
  masterKey: Buffer,
  key: Buffer,
): Promise<string> {
  const fingerprint = createHmac('sha256', deriveSubkey(masterKey, 'password-hash-key-fingerprint'))
    .update(key)
    .digest('hex');
  const stored = await db.importedPasswords.ensureKey(fingerprint, (id) =>
    encryptSecret(masterKey, key, aadOf(db.tenantId, id)),
  );
  return stored.id;
}

/** The opener `verifyImportedHash` takes: a sealed key of this tenant by id, or undefined. */
export function passwordHashKeyOpener(
  db: TenantDb,
  masterKey: Buffer,
): (id: string) => Promise<Buffer | undefined> {
  return async (id) => {
    const stored = await db.importedPasswords.findKey(id);
    return stored ? decryptSecret(masterKey, stored.sealed, aadOf(db.tenantId, id)) : undefined;
  };
}
