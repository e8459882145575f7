import type { Knex } from 'knex';
import { z } from 'zod';
import { dbDate, dbDateOrNull } from '../internal/columns';

const invitationSchema = z
  .object({
    id: z.string(),
    admin_id: z.string(),
    token_hash: z.string(),
    created_at: dbDate,
    expires_at: dbDate,
    used_at: dbDateOrNull,
  })
  .transform((r) => ({
    id: r.id,
    adminId: r.admin_id,
    tokenHash: r.token_hash,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
  }));

/** A CP admin's one-time invitation link (its token stored as SHA-256 hex). */
export type AdminInvitationRow = z.output<typeof invitationSchema>;

/** CP admin invitations: one live link per invited admin. */
export interface AdminInvitationRepository {
  /** Stores a new link and drops the admin's earlier ones (a resend voids the old mail). */
  replace(invitation: {
    id: string;
    adminId: string;
    tokenHash: string;
    expiresAt: Date;
  }): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<AdminInvitationRow | undefined>;
  /** The admin's current link, if any (used or not). */
  latestOf(adminId: string): Promise<AdminInvitationRow | undefined>;
  /** Spends a live link; false when it was spent (or expired) first, e.g. by a racing request. */
  spend(id: string, at: Date): Promise<boolean>;
  deleteOf(adminId: string): Promise<void>;
}

/** Builds the admin-invitation repository over a knex handle or transaction. */
export function createAdminInvitationRepository(
  db: Knex | Knex.Transaction,
): AdminInvitationRepository {
  const parse = (row: unknown): AdminInvitationRow => invitationSchema.parse(row);
  return {
    async replace(invitation) {
      await db('cp_admin_invitations').where({ admin_id: invitation.adminId }).delete();
      await db('cp_admin_invitations').insert({
        id: invitation.id,
        admin_id: invitation.adminId,
        token_hash: invitation.tokenHash,
        created_at: new Date(),
        expires_at: invitation.expiresAt,
        used_at: null,
      });
    },
    async findByTokenHash(tokenHash) {
      const row: unknown = await db('cp_admin_invitations')
        .where({ token_hash: tokenHash })
        .first();
      return row === undefined ? undefined : parse(row);
    },
    async latestOf(adminId) {
      const row: unknown = await db('cp_admin_invitations')
        .where({ admin_id: adminId })
        .orderBy('created_at', 'desc')
        .first();
      return row === undefined ? undefined : parse(row);
    },
    async spend(id, at) {
      const updated = await db('cp_admin_invitations')
        .where({ id })
        .whereNull('used_at')
        .where('expires_at', '>', at)
        .update({ used_at: at });
      return updated > 0;
    },
    async deleteOf(adminId) {
      await db('cp_admin_invitations').where({ admin_id: adminId }).delete();
    },
  };
}
