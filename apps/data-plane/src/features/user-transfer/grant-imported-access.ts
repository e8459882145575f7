import { timingSafeEqual } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { TenantDb } from '@hellojohn/dal';
import { openTotpSecret } from '../mfa';
import type { ResolvedAccess, StagedAccess } from './import-access';

/** A grant the line asked for that the tenant's rules refuse; its message is the line's reason. */
export class GrantRefused extends Error {}

/** The name enrolment gives an authenticator when the user gives none. */
const DEFAULT_TOTP_NAME = 'Authenticator app';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Gives an imported user what their line grants, idempotently, so running a file twice changes
 * nothing the second time:
 * - tenant roles are added (roles the user holds and the line does not name are kept);
 * - a membership is added, or its role set to the line's (the file wins), except that the last
 *   owner of an organization stays its owner;
 * - the TOTP secret becomes a confirmed authenticator, unless the user already holds one with
 *   that secret (or this very factor, when a job resumes after its batch was cut).
 */
export async function grantImportedAccess(
  db: TenantDb,
  userId: string,
  resolved: ResolvedAccess,
  totp: StagedAccess['totp'],
  sealing: { masterKey: Buffer; tenantId: string },
): Promise<void> {
  for (const roleId of resolved.roleIds) await db.userRoles.assign(userId, roleId);
  for (const [i, membership] of resolved.memberships.entries()) {
    const held = await db.memberships.find(membership.organizationId, userId);
    if (!held) {
      await db.memberships.add({
        id: randomUUID(),
        organizationId: membership.organizationId,
        userId,
        role: membership.role,
      });
    } else if (held.role !== membership.role) {
      const changed = await db.memberships.changeRole(
        membership.organizationId,
        userId,
        membership.role,
      );
      if (changed === 'last_owner') {
        throw new GrantRefused(
          `organizations.${i}.role: the last owner of ${JSON.stringify(membership.slug)} stays its owner`,
        );
      }
    }
  }
  if (totp === undefined) return;
  const factors = await db.mfaFactors.listByUser(userId, { confirmedOnly: true, type: 'totp' });
  if (factors.some((f) => f.id === totp.factorId)) return;
  const { masterKey, tenantId } = sealing;
  const secret = openTotpSecret(masterKey, tenantId, totp.factorId, totp.sealed);
  for (const factor of factors) {
    if (factor.secretEncrypted === null) continue;
    const held = openTotpSecret(masterKey, tenantId, factor.id, factor.secretEncrypted);
    if (sameSecret(held, secret)) return;
  }
  await db.mfaFactors.create({
    id: totp.factorId,
    userId,
    type: 'totp',
    name: totp.name ?? DEFAULT_TOTP_NAME,
    // Sealed at upload, with the master key and bound to this tenant and factor, as enrolment does.
    secretEncrypted: totp.sealed,
    confirmedAt: new Date(),
  });
}
