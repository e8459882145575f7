import { ConflictError, type TenantDb } from '@hellojohn/dal';
import { GrantRefused } from './grant-imported-access';
import type { ImportedIdentity } from './import-access';

const takenReason = (i: number): string =>
  `identities.${i}: this upstream account is already linked to another user`;

/**
 * Why the line cannot be written, when one of its upstream accounts is already linked to a user
 * other than the line's (found by email), or undefined. Checked before the user is written, so a
 * refused line changes nothing; a link to the line's own user is a re-import, not a conflict.
 */
export async function identityLinkedElsewhere(
  db: TenantDb,
  emailNormalized: string,
  identities: readonly ImportedIdentity[],
): Promise<string | undefined> {
  for (const [i, identity] of identities.entries()) {
    const known = await db.userIdentities.find(identity.providerId, identity.subject);
    if (!known) continue;
    const owner = await db.users.findById(known.userId);
    if (owner?.emailNormalized !== emailNormalized) return takenReason(i);
  }
  return undefined;
}

/**
 * Links the user's upstream accounts as federation does, so the next sign-in through the
 * provider finds the user by (provider, sub). Idempotent: a link the user already has is kept
 * as it is (its sign-in history too); one another user holds refuses the line (a line of the
 * same batch, or a sign-in that linked it meanwhile). Never used yet: `last_used_at` stays null.
 */
export async function linkImportedIdentities(
  db: TenantDb,
  userId: string,
  identities: readonly ImportedIdentity[],
): Promise<void> {
  for (const [i, identity] of identities.entries()) {
    const known = await db.userIdentities.find(identity.providerId, identity.subject);
    if (known?.userId === userId) continue;
    if (known) throw new GrantRefused(takenReason(i));
    try {
      await db.userIdentities.link({
        providerId: identity.providerId,
        subject: identity.subject,
        userId,
        email: identity.email,
        tokensSealed: null,
        lastUsedAt: null,
      });
    } catch (error) {
      if (error instanceof ConflictError) throw new GrantRefused(takenReason(i));
      throw error;
    }
  }
}
