import type { SoleOwnerOf, TenantDb } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';

/**
 * The `409 last_owner` answered when deleting a user would leave organizations without an owner
 * (docs/organizations.md): the detail names them so the caller knows whom to promote first. The
 * refusal is audited as `user.deleted` with `outcome: denied`, so an operator can see who tried
 * and which organizations held it back.
 */
export async function refuseSoleOwnerDeletion(
  db: TenantDb,
  meta: RequestMeta,
  who: { userId: string; actor?: string | undefined },
  { soleOwnerOf }: SoleOwnerOf,
): Promise<AppError> {
  await audit(db, meta, {
    action: 'user.deleted',
    outcome: 'denied',
    ...(who.actor === undefined ? {} : { actor: who.actor }),
    userId: who.userId,
    details: { reason: 'last_owner', organizations: soleOwnerOf.map((org) => org.id) },
  });
  const named = soleOwnerOf.map((org) => `${org.name} (${org.slug}, ${org.id})`).join(', ');
  return new AppError(
    'last_owner',
    `The user is the only owner of: ${named}. Make another member owner first, or delete the organization.`,
  );
}
