import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

const invitationSchema = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    email_normalized: z.string(),
    role: z.string(),
    token_hash: z.string(),
    invited_by: z.string().nullable(),
    expires_at: dbDate,
    accepted_at: dbDateOrNull,
    revoked_at: dbDateOrNull,
    created_at: dbDate,
  })
  .transform((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    emailNormalized: r.email_normalized,
    role: r.role,
    tokenHash: r.token_hash,
    invitedBy: r.invited_by,
    expiresAt: r.expires_at,
    acceptedAt: r.accepted_at,
    revokedAt: r.revoked_at,
    createdAt: r.created_at,
  }));

/** An invitation to join an organization; the token is known only by its SHA-256. */
export type InvitationRow = z.output<typeof invitationSchema>;

/** What {@link InvitationRepository.create} needs. */
export type NewInvitation = Pick<
  InvitationRow,
  'id' | 'organizationId' | 'emailNormalized' | 'role' | 'tokenHash' | 'invitedBy' | 'expiresAt'
>;

/** Organization invitations: single use, expiring, revocable. */
export interface InvitationRepository {
  create(invitation: NewInvitation): Promise<InvitationRow>;
  findById(organizationId: string, id: string): Promise<InvitationRow | undefined>;
  findByTokenHash(tokenHash: string): Promise<InvitationRow | undefined>;
  /** Neither accepted, revoked nor expired at `now`; newest first. */
  listPending(organizationId: string, now: Date): Promise<InvitationRow[]>;
  /** {@link InvitationRepository.listPending} a page at a time (keyset on creation, id). */
  pagePending(
    organizationId: string,
    now: Date,
    request: PageRequest,
  ): Promise<Page<InvitationRow>>;
  /** Revokes a pending invitation; false when unknown, accepted or already revoked. */
  revoke(organizationId: string, id: string, now: Date): Promise<boolean>;
  /**
   * Spends a pending, unexpired invitation (a conditional update: of concurrent accepts exactly
   * one wins); false when it was not pending any more.
   */
  accept(id: string, now: Date): Promise<boolean>;
}

/** Builds the invitation repository over a tenant's knex handle or transaction. */
export function createInvitationRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): InvitationRepository {
  const parse = (row: unknown): InvitationRow => invitationSchema.parse(row);
  const first = async (where: Record<string, unknown>): Promise<InvitationRow | undefined> => {
    const row: unknown = await db('invitations').where(where).first();
    return row === undefined ? undefined : parse(row);
  };
  const pending = (now: Date) =>
    db('invitations')
      .whereNull('accepted_at')
      .whereNull('revoked_at')
      .where('expires_at', '>', now);
  return {
    async create(invitation) {
      const raw = {
        id: invitation.id,
        organization_id: invitation.organizationId,
        email_normalized: invitation.emailNormalized,
        role: invitation.role,
        token_hash: invitation.tokenHash,
        invited_by: invitation.invitedBy,
        expires_at: invitation.expiresAt,
        accepted_at: null,
        revoked_at: null,
        created_at: new Date(),
      };
      try {
        await db('invitations').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    findById: (organizationId, id) => first({ organization_id: organizationId, id }),
    findByTokenHash: (tokenHash) => first({ token_hash: tokenHash }),
    pagePending(organizationId, now, request) {
      const query = pending(now).where({ organization_id: organizationId }).select('*');
      return keysetPage(query, request, parse, { cursors, order: 'desc' });
    },
    async listPending(organizationId, now) {
      const rows = (await pending(now)
        .where({ organization_id: organizationId })
        .select('*')
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])) as unknown[];
      return rows.map(parse);
    },
    async revoke(organizationId, id, now) {
      const count = await db('invitations')
        .where({ organization_id: organizationId, id })
        .whereNull('accepted_at')
        .whereNull('revoked_at')
        .update({ revoked_at: now });
      return count > 0;
    },
    async accept(id, now) {
      return (await pending(now).where({ id }).update({ accepted_at: now })) > 0;
    },
  };
}
