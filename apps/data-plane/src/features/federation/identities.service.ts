import type { UserIdentityRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { IdentityProviderDirectory } from './identity-provider-directory';

/** A linked identity as the account and admin APIs show it (never the stored tokens). */
export interface IdentityView {
  id: string;
  provider_id: string;
  /** The provider's name, or null when it was deleted from the control plane. */
  provider_name: string | null;
  provider_type: string | null;
  subject: string;
  email: string | null;
  created_at: string;
  last_used_at: string | null;
}

export interface IdentityService {
  list(tenant: TenantContext, userId: string): Promise<IdentityView[]>;
  /** For tenant admins: an unknown user -> 404 `user_not_found`. */
  listForAdmin(tenant: TenantContext, userId: string): Promise<IdentityView[]>;
  /**
   * Unlinks one of the user's identities, unless it is the last way to sign in (no password, no
   * passkey, no other identity): 409 `last_sign_in_method`.
   */
  unlink(tenant: TenantContext, userId: string, id: string, meta: RequestMeta): Promise<void>;
}

export function createIdentityService(deps: {
  directory: IdentityProviderDirectory;
}): IdentityService {
  async function list(tenant: TenantContext, userId: string): Promise<IdentityView[]> {
    const rows = await tenant.db.userIdentities.listByUser(userId);
    let providers: Awaited<ReturnType<IdentityProviderDirectory['list']>> = [];
    try {
      providers = await deps.directory.list(tenant.config.id);
    } catch {
      // The names are decoration: the list still answers while the control plane is away.
    }
    const byId = new Map(providers.map((p) => [p.id, p]));
    return rows.map((row: UserIdentityRow) => ({
      id: row.id,
      provider_id: row.providerId,
      provider_name: byId.get(row.providerId)?.name ?? null,
      provider_type: byId.get(row.providerId)?.type ?? null,
      subject: row.subject,
      email: row.email,
      created_at: row.createdAt.toISOString(),
      last_used_at: row.lastUsedAt?.toISOString() ?? null,
    }));
  }

  return {
    list,
    async listForAdmin(tenant, userId) {
      if (!(await tenant.db.users.findById(userId))) throw new AppError('user_not_found');
      return list(tenant, userId);
    },
    async unlink(tenant, userId, id, meta) {
      await tenant.db.transaction(async (tx) => {
        const identities = await tx.userIdentities.listByUser(userId);
        const identity = identities.find((row) => row.id === id);
        if (!identity) throw new AppError('identity_not_found');
        const [password, imported, passkeys] = await Promise.all([
          tx.credentials.getPasswordHash(userId),
          tx.importedPasswords.find(userId),
          tx.mfaFactors.listByUser(userId, { confirmedOnly: true, type: 'webauthn' }),
        ]);
        const otherWays =
          identities.length -
          1 +
          (password === undefined ? 0 : 1) +
          (imported === undefined ? 0 : 1) +
          passkeys.length;
        if (otherWays === 0) {
          throw new AppError(
            'last_sign_in_method',
            'Set a password or link another account before unlinking this one.',
          );
        }
        await tx.userIdentities.unlink(userId, id);
      });
      await audit(tenant.db, meta, {
        action: 'user.identity_unlinked',
        outcome: 'success',
        userId,
        details: { identity_id: id },
      });
    },
  };
}
