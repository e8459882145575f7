import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbBool, dbDateOrNull, dbDate, dbInt, dbJsonStrings, toJson } from '../internal/columns';

/** The kinds of second factor a user may hold. */
export const mfaFactorTypes = ['totp', 'email_otp', 'webauthn'] as const;
export type MfaFactorType = (typeof mfaFactorTypes)[number];

const TABLE = 'mfa_factors';
const MAX_NAME = 200;
const MAX_CREDENTIAL_ID = 512;
const MAX_TRANSPORTS = 200;

const mfaFactorSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    type: z.enum(mfaFactorTypes),
    name: z.string().nullable(),
    secret_encrypted: z.string().nullable(),
    credential_id: z.string().nullable(),
    public_key: z.string().nullable(),
    sign_count: dbInt,
    last_used_step: dbInt.nullable(),
    transports: dbJsonStrings.nullable(),
    backup_eligible: dbBool,
    backup_state: dbBool,
    aaguid: z.string().nullable(),
    confirmed_at: dbDateOrNull,
    last_used_at: dbDateOrNull,
    created_at: dbDate,
  })
  .transform((r) => ({
    id: r.id,
    userId: r.user_id,
    type: r.type,
    name: r.name,
    /** TOTP: the shared secret sealed with the master key (the caller seals and opens it). */
    secretEncrypted: r.secret_encrypted,
    /** WebAuthn: base64url credential id, unique in the tenant. */
    credentialId: r.credential_id,
    publicKey: r.public_key,
    signCount: r.sign_count,
    /** TOTP: the last time step accepted (the replay guard), null before the first use. */
    lastUsedStep: r.last_used_step,
    transports: r.transports ?? [],
    backupEligible: r.backup_eligible,
    backupState: r.backup_state,
    aaguid: r.aaguid,
    /** Null while enrolment is unfinished: such a factor never counts at sign-in. */
    confirmedAt: r.confirmed_at,
    lastUsedAt: r.last_used_at,
    createdAt: r.created_at,
  }));

/** A user's second factor. */
export type MfaFactorRow = z.output<typeof mfaFactorSchema>;

/** What {@link MfaFactorRepository.create} needs. */
export interface NewMfaFactor {
  id?: string;
  userId: string;
  type: MfaFactorType;
  /** At most 200 characters. */
  name?: string | null;
  secretEncrypted?: string | null;
  /** At most 512 characters. */
  credentialId?: string | null;
  publicKey?: string | null;
  signCount?: number;
  /** Stored as a JSON array (at most 200 characters serialised). */
  transports?: readonly string[];
  backupEligible?: boolean;
  backupState?: boolean;
  aaguid?: string | null;
  /** Set for factors born confirmed (a passkey registration); null for TOTP/email until confirmed. */
  confirmedAt?: Date | null;
}

/** What a successful use of a factor records. */
export interface MfaFactorUse {
  at: Date;
  /** TOTP: the time step of the accepted code; the update happens only if it is newer. */
  step?: number;
  signCount?: number;
  backupState?: boolean;
}

/**
 * A tenant's MFA factors (TOTP, email codes, passkeys).
 *
 * @example
 * // accept a TOTP code once
 * const step = matchedStep(code, secret); // undefined when wrong
 * if (step === undefined || !(await db.mfaFactors.recordUse(f.id, { at: now, step }))) fail();
 */
export interface MfaFactorRepository {
  /** `ConflictError`: the id or credential id is taken; `NotFoundError`: unknown user. */
  create(factor: NewMfaFactor): Promise<MfaFactorRow>;
  /** The user's factor with this id (another user's factor is not found). */
  findById(userId: string, id: string): Promise<MfaFactorRow | undefined>;
  /** The user's factors, oldest first. */
  listByUser(
    userId: string,
    options?: { confirmedOnly?: boolean; type?: MfaFactorType },
  ): Promise<MfaFactorRow[]>;
  /** The passkey with this credential id, whoever holds it. */
  findByCredentialId(credentialId: string): Promise<MfaFactorRow | undefined>;
  /** Confirms an unconfirmed factor; false when it is unknown or confirmed already. */
  confirm(id: string, at: Date): Promise<boolean>;
  /**
   * Records a use. With `step` (TOTP), the update happens only when `step` is greater than the
   * stored `lastUsedStep`, in one conditional UPDATE: of concurrent uses of the same code exactly
   * one gets true (the replay guard). Without `step`, false only for an unknown factor.
   */
  recordUse(id: string, use: MfaFactorUse): Promise<boolean>;
  rename(id: string, name: string | null): Promise<boolean>;
  /** Deletes the user's factor; false when the user holds no such factor. */
  delete(userId: string, id: string): Promise<boolean>;
  /** Deletes the user's unconfirmed factors of a type (a new enrolment replaces them); how many. */
  deleteUnconfirmed(userId: string, type: MfaFactorType): Promise<number>;
  /** Deletes every factor of the user (admin reset); how many. */
  deleteAllForUser(userId: string): Promise<number>;
}

function assertFactor(f: NewMfaFactor): void {
  if (!(mfaFactorTypes as readonly string[]).includes(f.type)) {
    throw new TypeError(`type must be one of ${mfaFactorTypes.join(', ')}`);
  }
  if (f.name && f.name.length > MAX_NAME) {
    throw new RangeError(`name must be at most ${String(MAX_NAME)} characters`);
  }
  if (f.credentialId && f.credentialId.length > MAX_CREDENTIAL_ID) {
    throw new RangeError(`credentialId must be at most ${String(MAX_CREDENTIAL_ID)} characters`);
  }
  if (f.transports && toJson(f.transports).length > MAX_TRANSPORTS) {
    throw new RangeError(
      `transports must serialise to at most ${String(MAX_TRANSPORTS)} characters`,
    );
  }
}

/** Builds the MFA factor repository over a tenant's knex handle or transaction. */
export function createMfaFactorRepository(db: Knex | Knex.Transaction): MfaFactorRepository {
  const parse = (row: unknown): MfaFactorRow => mfaFactorSchema.parse(row);
  return {
    async create(f) {
      assertFactor(f);
      const raw = {
        id: f.id ?? randomUUID(),
        user_id: f.userId,
        type: f.type,
        name: f.name ?? null,
        secret_encrypted: f.secretEncrypted ?? null,
        credential_id: f.credentialId ?? null,
        public_key: f.publicKey ?? null,
        sign_count: f.signCount ?? 0,
        last_used_step: null,
        transports: f.transports ? toJson(f.transports) : null,
        backup_eligible: f.backupEligible ?? false,
        backup_state: f.backupState ?? false,
        aaguid: f.aaguid ?? null,
        confirmed_at: f.confirmedAt ?? null,
        last_used_at: null,
        created_at: new Date(),
      };
      try {
        await db(TABLE).insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    async findById(userId, id) {
      const row: unknown = await db(TABLE).where({ id, user_id: userId }).first();
      return row === undefined ? undefined : parse(row);
    },
    async listByUser(userId, options = {}) {
      const query = db(TABLE).where({ user_id: userId });
      if (options.confirmedOnly) query.whereNotNull('confirmed_at');
      if (options.type) query.where({ type: options.type });
      const rows: unknown[] = await query.orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
      return rows.map(parse);
    },
    async findByCredentialId(credentialId) {
      const row: unknown = await db(TABLE).where({ credential_id: credentialId }).first();
      return row === undefined ? undefined : parse(row);
    },
    async confirm(id, at) {
      const count = await db(TABLE).where({ id }).whereNull('confirmed_at').update({
        confirmed_at: at,
      });
      return count === 1;
    },
    async recordUse(id, use) {
      const changes: Record<string, unknown> = { last_used_at: use.at };
      if (use.signCount !== undefined) changes['sign_count'] = use.signCount;
      if (use.backupState !== undefined) changes['backup_state'] = use.backupState;
      const query = db(TABLE).where({ id });
      const step = use.step;
      if (step !== undefined) {
        if (!Number.isSafeInteger(step) || step < 0) {
          throw new RangeError('step must be a non-negative integer');
        }
        changes['last_used_step'] = step;
        // The replay guard: the database compares and writes in one statement.
        query.where((q) => {
          void q.whereNull('last_used_step').orWhere('last_used_step', '<', step);
        });
      }
      return (await query.update(changes)) === 1;
    },
    async rename(id, name) {
      if (name && name.length > MAX_NAME) {
        throw new RangeError(`name must be at most ${String(MAX_NAME)} characters`);
      }
      return (await db(TABLE).where({ id }).update({ name })) === 1;
    },
    async delete(userId, id) {
      return (await db(TABLE).where({ id, user_id: userId }).del()) === 1;
    },
    deleteUnconfirmed: (userId, type) =>
      db(TABLE).where({ user_id: userId, type }).whereNull('confirmed_at').del(),
    deleteAllForUser: (userId) => db(TABLE).where({ user_id: userId }).del(),
  };
}
