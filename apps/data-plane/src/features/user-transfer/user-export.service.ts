import type { ImportedPassword } from '@hellojohn/dal';
import { passwordHashKeyOpener } from '../../credentials/imported/open-password-hash-key';
import { NATIVE_PREHASH } from '../../credentials/imported/password-hash.schemas';
import type { TenantContext } from '../../tenancy/tenant-context';
import { openTotpSecret } from '../mfa';
import type { ExportLine } from './user-transfer.schemas';

/** Users read per page while exporting. */
const PAGE = 200;

type ExportedHash = NonNullable<ExportLine['password_hash']>;

/** An imported hash back in the import format: salt apart, the project key unsealed. */
async function importedHashOf(
  stored: ImportedPassword,
  openKey: (id: string) => Promise<Buffer | undefined>,
): Promise<ExportedHash | undefined> {
  const { salt, key_id: keyId, ...rest } = stored.params;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(rest)) {
    if (typeof value === 'string' || typeof value === 'number') params[name] = value;
  }
  if (typeof keyId === 'string') {
    const key = await openKey(keyId);
    if (!key) return undefined;
    params['signer_key'] = key.toString('base64');
  }
  const algorithm = stored.algorithm as ExportedHash['algorithm'];
  return {
    algorithm,
    hash: stored.hash,
    ...(typeof salt === 'string' ? { salt } : {}),
    ...(Object.keys(params).length > 0 ? { params } : {}),
  };
}

/** The user's oldest confirmed authenticator, its secret unsealed (exports with secrets only). */
async function totpOf(
  tenant: TenantContext,
  userId: string,
  masterKey: Buffer,
): Promise<ExportLine['mfa']> {
  const factors = await tenant.db.mfaFactors.listByUser(userId, {
    confirmedOnly: true,
    type: 'totp',
  });
  const factor = factors.find((f) => f.secretEncrypted !== null);
  if (!factor?.secretEncrypted) return undefined;
  const secret = openTotpSecret(masterKey, tenant.config.id, factor.id, factor.secretEncrypted);
  return { totp: { secret, name: factor.name } };
}

/**
 * The tenant's users, oldest first, in the import format: profile, metadata, status, tenant
 * roles (keys), organization memberships and federated links (identity provider id and
 * `sub`); with `includeHashes`, the password hash too (the tenant's bcrypt marked with its
 * pre-hash, or the imported hash not yet replaced) and the TOTP secret of the oldest confirmed
 * authenticator, so that a round trip keeps second factors.
 */
export async function* exportUsers(
  tenant: TenantContext,
  options: { includeHashes: boolean; masterKey: Buffer },
): AsyncGenerator<ExportLine> {
  const openKey = passwordHashKeyOpener(tenant.db, options.masterKey);
  let cursor: string | undefined;
  do {
    const page = await tenant.db.users.list({ limit: PAGE, cursor });
    for (const user of page.rows) {
      const [roles, organizations, identities] = await Promise.all([
        tenant.db.userRoles.listForUser(user.id),
        tenant.db.organizations.listForUser(user.id),
        tenant.db.userIdentities.listByUser(user.id),
      ]);
      let passwordHash: ExportedHash | undefined;
      let mfa: ExportLine['mfa'];
      if (options.includeHashes) {
        mfa = await totpOf(tenant, user.id, options.masterKey);
        const native = await tenant.db.credentials.getPasswordHash(user.id);
        if (native !== undefined) {
          passwordHash = { algorithm: 'bcrypt', hash: native, params: { prehash: NATIVE_PREHASH } };
        } else {
          const imported = await tenant.db.importedPasswords.find(user.id);
          if (imported) passwordHash = await importedHashOf(imported, openKey);
        }
      }
      yield {
        id: user.id,
        email: user.email,
        email_verified: user.emailVerified,
        name: user.name,
        metadata: user.metadata,
        status: user.status,
        created_at: user.createdAt.toISOString(),
        updated_at: user.updatedAt.toISOString(),
        roles: roles.map((role) => role.key),
        organizations: organizations.map((org) => ({ id: org.id, slug: org.slug, role: org.role })),
        // Upstream tokens stay behind: they are sealed for this tenant and renewed at sign-in.
        identities: identities.map((link) => ({
          provider: link.providerId,
          subject: link.subject,
          email: link.email,
        })),
        ...(mfa ? { mfa } : {}),
        ...(passwordHash ? { password_hash: passwordHash } : {}),
      };
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
