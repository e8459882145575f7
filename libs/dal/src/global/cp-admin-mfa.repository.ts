import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { dbDate, dbDateOrNull, dbInt } from '../internal/columns';

const totpSchema = z
  .object({
    admin_id: z.string(),
    secret_encrypted: z.string(),
    created_at: dbDate,
    confirmed_at: dbDateOrNull,
    last_step: dbInt.nullable(),
  })
  .transform((r) => ({
    adminId: r.admin_id,
    secretEncrypted: r.secret_encrypted,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
    lastStep: r.last_step,
  }));

const challengeSchema = z
  .object({
    id: z.string(),
    admin_id: z.string(),
    expires_at: dbDate,
    used_at: dbDateOrNull,
  })
  .transform((r) => ({
    id: r.id,
    adminId: r.admin_id,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
  }));

/** A CP admin's authenticator (TOTP), its secret sealed with the master key. */
export type AdminTotpRow = z.output<typeof totpSchema>;
/** A password sign-in waiting for its second factor (`mfa_token`, stored as SHA-256 hex). */
export type AdminMfaChallengeRow = z.output<typeof challengeSchema>;

/** CP admins' TOTP, recovery codes and pending second-factor sign-ins. */
export interface AdminMfaRepository {
  findTotp(adminId: string): Promise<AdminTotpRow | undefined>;
  /** Starts (or restarts) an enrolment: an unconfirmed secret replacing an unconfirmed one. */
  putPendingTotp(adminId: string, secretEncrypted: string): Promise<void>;
  /** Confirms the pending secret, accepting `step`; false when it was confirmed already. */
  confirmTotp(adminId: string, step: number, at: Date): Promise<boolean>;
  /**
   * Records `step` as used unless it (or a later one) was: the replay guard. False when another
   * request took this step first.
   */
  useTotpStep(adminId: string, step: number): Promise<boolean>;
  /** Removes the authenticator and the recovery codes. */
  removeTotp(adminId: string): Promise<void>;
  /** Replaces the admin's recovery codes with `hashes`. */
  replaceRecoveryCodes(adminId: string, hashes: readonly string[]): Promise<void>;
  /** Spends a recovery code of the admin; false when there is no such unused code. */
  useRecoveryCode(adminId: string, codeHash: string, at: Date): Promise<boolean>;
  addChallenge(challenge: {
    id: string;
    adminId: string;
    tokenHash: string;
    expiresAt: Date;
  }): Promise<void>;
  findChallenge(tokenHash: string): Promise<AdminMfaChallengeRow | undefined>;
  /** Spends a live challenge; false when it was spent or expired first. */
  spendChallenge(id: string, at: Date): Promise<boolean>;
  /** Deletes challenges that expired before `before`. */
  purgeChallenges(before: Date): Promise<number>;
  /** Everything of the admin (its deletion). */
  deleteAllOf(adminId: string): Promise<void>;
}

/** Builds the admin MFA repository over a knex handle or transaction. */
export function createAdminMfaRepository(db: Knex | Knex.Transaction): AdminMfaRepository {
  return {
    async findTotp(adminId) {
      const row: unknown = await db('cp_admin_totp').where({ admin_id: adminId }).first();
      return row === undefined ? undefined : totpSchema.parse(row);
    },
    async putPendingTotp(adminId, secretEncrypted) {
      await db('cp_admin_totp').where({ admin_id: adminId }).whereNull('confirmed_at').delete();
      await db('cp_admin_totp').insert({
        admin_id: adminId,
        secret_encrypted: secretEncrypted,
        created_at: new Date(),
        confirmed_at: null,
        last_step: null,
      });
    },
    async confirmTotp(adminId, step, at) {
      const updated = await db('cp_admin_totp')
        .where({ admin_id: adminId })
        .whereNull('confirmed_at')
        .update({ confirmed_at: at, last_step: step });
      return updated > 0;
    },
    async useTotpStep(adminId, step) {
      const updated = await db('cp_admin_totp')
        .where({ admin_id: adminId })
        .whereNotNull('confirmed_at')
        .where((q) => {
          void q.whereNull('last_step').orWhere('last_step', '<', step);
        })
        .update({ last_step: step });
      return updated > 0;
    },
    async removeTotp(adminId) {
      await db('cp_admin_totp').where({ admin_id: adminId }).delete();
      await db('cp_admin_recovery_codes').where({ admin_id: adminId }).delete();
    },
    async replaceRecoveryCodes(adminId, hashes) {
      await db('cp_admin_recovery_codes').where({ admin_id: adminId }).delete();
      if (hashes.length === 0) return;
      await db('cp_admin_recovery_codes').insert(
        hashes.map((hash) => ({
          id: randomUUID(),
          admin_id: adminId,
          code_hash: hash,
          used_at: null,
        })),
      );
    },
    async useRecoveryCode(adminId, codeHash, at) {
      const updated = await db('cp_admin_recovery_codes')
        .where({ admin_id: adminId, code_hash: codeHash })
        .whereNull('used_at')
        .update({ used_at: at });
      return updated > 0;
    },
    async addChallenge(challenge) {
      await db('cp_admin_mfa_challenges').insert({
        id: challenge.id,
        admin_id: challenge.adminId,
        token_hash: challenge.tokenHash,
        created_at: new Date(),
        expires_at: challenge.expiresAt,
        used_at: null,
      });
    },
    async findChallenge(tokenHash) {
      const row: unknown = await db('cp_admin_mfa_challenges')
        .where({ token_hash: tokenHash })
        .first();
      return row === undefined ? undefined : challengeSchema.parse(row);
    },
    async spendChallenge(id, at) {
      const updated = await db('cp_admin_mfa_challenges')
        .where({ id })
        .whereNull('used_at')
        .where('expires_at', '>', at)
        .update({ used_at: at });
      return updated > 0;
    },
    async purgeChallenges(before) {
      return db('cp_admin_mfa_challenges').where('expires_at', '<', before).delete();
    },
    async deleteAllOf(adminId) {
      await db('cp_admin_totp').where({ admin_id: adminId }).delete();
      await db('cp_admin_recovery_codes').where({ admin_id: adminId }).delete();
      await db('cp_admin_mfa_challenges').where({ admin_id: adminId }).delete();
    },
  };
}
