import type { SoleOwnerOf } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';

/**
 * The `409 last_owner` answered when deleting a user would leave organizations without an owner
 * (docs/organizations.md): the detail names them so the caller knows whom to promote first.
 */
export function soleOwnerError({ soleOwnerOf }: SoleOwnerOf): AppError {
  const named = soleOwnerOf.map((org) => `${org.name} (${org.slug}, ${org.id})`).join(', ');
  return new AppError(
    'last_owner',
    `The user is the only owner of: ${named}. Make another member owner first, or delete the organization.`,
  );
}
