import { randomBytes } from 'node:crypto';
import type { TenantDb, UserRow } from '../../src/index';
import { ConflictError, NotFoundError } from '../../src/index';
import type { ServerFactory } from '../support/fixtures';
import { inSeconds, newHash, useMigratedTenant } from '../support/migrated-tenant';
import { newId, suffix } from '../support/fixtures';

/**
 * The MFA tables on one driver: factors (the TOTP replay guard under concurrency, passkey
 * fields, unique credential ids with many NULLs), recovery codes (single use under concurrency,
 * replacement) and sign-in challenges (attempt limits, expiry, single use), all gone with the user.
 */
export function describeMfa(driverName: string, serverFactory: ServerFactory): void {
  describe(`MFA tables on ${driverName}`, () => {
    let db: TenantDb;
    let otherDb: TenantDb;

    const fixture = useMigratedTenant(serverFactory);
    beforeAll(() => {
      ({ db, otherDb } = fixture);
    });

    const newUser = (): Promise<UserRow> => {
      const email = `mfa-${suffix()}@example.com`;
      return db.users.create({ id: newId(), email, emailNormalized: email, name: null });
    };

    describe('factors', () => {
      it('creates a TOTP factor unconfirmed, confirms it once and lists it', async () => {
        const user = await newUser();
        const f = await db.mfaFactors.create({
          userId: user.id,
          type: 'totp',
          name: 'Phone',
          secretEncrypted: 'sealed',
        });
        expect(f).toMatchObject({
          userId: user.id,
          type: 'totp',
          name: 'Phone',
          secretEncrypted: 'sealed',
          credentialId: null,
          signCount: 0,
          lastUsedStep: null,
          transports: [],
          backupEligible: false,
          backupState: false,
          confirmedAt: null,
          lastUsedAt: null,
        });
        expect(await db.mfaFactors.findById(user.id, f.id)).toEqual(f);
        expect(await db.mfaFactors.listByUser(user.id, { confirmedOnly: true })).toEqual([]);
        const at = new Date();
        expect(await db.mfaFactors.confirm(f.id, at)).toBe(true);
        expect(await db.mfaFactors.confirm(f.id, new Date())).toBe(false);
        const [listed] = await db.mfaFactors.listByUser(user.id, { confirmedOnly: true });
        expect(listed).toEqual({ ...f, confirmedAt: at });
        expect(await db.mfaFactors.listByUser(user.id, { type: 'email_otp' })).toEqual([]);
      });

      it("never finds another user's factor", async () => {
        const [a, b] = [await newUser(), await newUser()];
        const f = await db.mfaFactors.create({ userId: a.id, type: 'email_otp' });
        expect(await db.mfaFactors.findById(b.id, f.id)).toBeUndefined();
        expect(await db.mfaFactors.delete(b.id, f.id)).toBe(false);
        expect(await db.mfaFactors.findById(a.id, f.id)).toBeDefined();
      });

      it('accepts each TOTP step once and never an older one (the replay guard)', async () => {
        const user = await newUser();
        const f = await db.mfaFactors.create({ userId: user.id, type: 'totp' });
        const at = new Date();
        expect(await db.mfaFactors.recordUse(f.id, { at, step: 1000 })).toBe(true);
        expect(await db.mfaFactors.recordUse(f.id, { at, step: 1000 })).toBe(false);
        expect(await db.mfaFactors.recordUse(f.id, { at, step: 999 })).toBe(false);
        expect(await db.mfaFactors.recordUse(f.id, { at, step: 1001 })).toBe(true);
        const row = await db.mfaFactors.findById(user.id, f.id);
        expect(row).toMatchObject({ lastUsedStep: 1001, lastUsedAt: at });
        await expect(db.mfaFactors.recordUse(f.id, { at, step: -1 })).rejects.toThrow(RangeError);
      });

      it('lets exactly one of many concurrent uses of the same step through', async () => {
        const user = await newUser();
        const f = await db.mfaFactors.create({ userId: user.id, type: 'totp' });
        const step = 58_000_000;
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            (i % 2 ? otherDb : db).mfaFactors.recordUse(f.id, { at: new Date(), step }),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('stores passkey fields; credential ids are unique, NULL many times', async () => {
        const user = await newUser();
        const credentialId = randomBytes(32).toString('base64url');
        const at = new Date();
        const f = await db.mfaFactors.create({
          userId: user.id,
          type: 'webauthn',
          name: 'Laptop',
          credentialId,
          publicKey: 'pk',
          signCount: 3,
          transports: ['internal', 'hybrid'],
          backupEligible: true,
          backupState: true,
          aaguid: '00000000-0000-0000-0000-000000000000',
          confirmedAt: at,
        });
        expect(await db.mfaFactors.findByCredentialId(credentialId)).toEqual(f);
        expect(f).toMatchObject({ transports: ['internal', 'hybrid'], backupEligible: true });
        await expect(
          db.mfaFactors.create({ userId: user.id, type: 'webauthn', credentialId }),
        ).rejects.toThrow(ConflictError);
        await db.mfaFactors.create({ userId: user.id, type: 'totp' });
        await db.mfaFactors.create({ userId: user.id, type: 'totp' });
        expect(await db.mfaFactors.recordUse(f.id, { at, signCount: 9, backupState: false })).toBe(
          true,
        );
        expect(await db.mfaFactors.findById(user.id, f.id)).toMatchObject({
          signCount: 9,
          backupState: false,
          lastUsedAt: at,
        });
        expect(await db.mfaFactors.rename(f.id, 'Work laptop')).toBe(true);
        expect((await db.mfaFactors.findById(user.id, f.id))?.name).toBe('Work laptop');
        expect(await db.mfaFactors.recordUse(newId(), { at })).toBe(false);
      });

      it('refuses malformed factors and unknown users', async () => {
        const user = await newUser();
        await expect(
          db.mfaFactors.create({ userId: user.id, type: 'sms' as 'totp' }),
        ).rejects.toThrow(TypeError);
        await expect(
          db.mfaFactors.create({ userId: user.id, type: 'totp', name: 'n'.repeat(201) }),
        ).rejects.toThrow(RangeError);
        await expect(db.mfaFactors.create({ userId: newId(), type: 'totp' })).rejects.toThrow(
          NotFoundError,
        );
      });

      it('deletes unconfirmed factors of a type, one factor, or all of them', async () => {
        const user = await newUser();
        const pending = await db.mfaFactors.create({ userId: user.id, type: 'totp' });
        const confirmed = await db.mfaFactors.create({
          userId: user.id,
          type: 'totp',
          confirmedAt: new Date(),
        });
        const email = await db.mfaFactors.create({ userId: user.id, type: 'email_otp' });
        expect(await db.mfaFactors.deleteUnconfirmed(user.id, 'totp')).toBe(1);
        expect(await db.mfaFactors.findById(user.id, pending.id)).toBeUndefined();
        expect(await db.mfaFactors.findById(user.id, email.id)).toBeDefined();
        expect(await db.mfaFactors.delete(user.id, confirmed.id)).toBe(true);
        expect(await db.mfaFactors.delete(user.id, confirmed.id)).toBe(false);
        expect(await db.mfaFactors.deleteAllForUser(user.id)).toBe(1);
        expect(await db.mfaFactors.listByUser(user.id)).toEqual([]);
      });
    });

    describe('recovery codes', () => {
      it('spends each code once, counts the rest, and a new set kills the old', async () => {
        const user = await newUser();
        const hashes = Array.from({ length: 10 }, newHash);
        await db.recoveryCodes.replaceAll(user.id, hashes, new Date());
        expect(await db.recoveryCodes.countRemaining(user.id)).toBe(10);
        expect(await db.recoveryCodes.consume(user.id, hashes[0]!, new Date())).toBe(true);
        expect(await db.recoveryCodes.consume(user.id, hashes[0]!, new Date())).toBe(false);
        expect(await db.recoveryCodes.consume(user.id, newHash(), new Date())).toBe(false);
        expect(await db.recoveryCodes.countRemaining(user.id)).toBe(9);
        const other = await newUser();
        expect(await db.recoveryCodes.consume(other.id, hashes[1]!, new Date())).toBe(false);
        const fresh = Array.from({ length: 10 }, newHash);
        await db.recoveryCodes.replaceAll(user.id, fresh, new Date());
        expect(await db.recoveryCodes.consume(user.id, hashes[1]!, new Date())).toBe(false);
        expect(await db.recoveryCodes.countRemaining(user.id)).toBe(10);
        await expect(db.recoveryCodes.replaceAll(user.id, ['nope'], new Date())).rejects.toThrow(
          TypeError,
        );
        expect(await db.recoveryCodes.countRemaining(user.id)).toBe(10);
        expect(await db.recoveryCodes.deleteAllForUser(user.id)).toBe(10);
        expect(await db.recoveryCodes.countRemaining(user.id)).toBe(0);
      });

      it('gives a code to exactly one of many concurrent consumers', async () => {
        const user = await newUser();
        const hash = newHash();
        await db.recoveryCodes.replaceAll(user.id, [hash], new Date());
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            (i % 2 ? otherDb : db).recoveryCodes.consume(user.id, hash, new Date()),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('challenges', () => {
      const challenge = (userId: string, maxAttempts = 3, expiresAt = inSeconds(300)) =>
        db.mfaChallenges.create({
          userId,
          tokenHash: newHash(),
          amr: ['pwd'],
          maxAttempts,
          expiresAt,
          meta: { ip: '203.0.113.9' },
        });

      it('finds a live challenge by hash and consumes it once, even concurrently', async () => {
        const user = await newUser();
        const c = await challenge(user.id);
        expect(await db.mfaChallenges.findLiveByHash(c.tokenHash, new Date())).toEqual(c);
        expect(c).toMatchObject({ amr: ['pwd'], attempts: 0, meta: { ip: '203.0.113.9' } });
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 ? otherDb : db).mfaChallenges.consume(c.id, new Date()),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await db.mfaChallenges.findLiveByHash(c.tokenHash, new Date())).toBeUndefined();
      });

      it('dies after its attempts or at expiry', async () => {
        const user = await newUser();
        const c = await challenge(user.id, 2);
        expect(await db.mfaChallenges.recordFailedAttempt(c.id)).toBe(1);
        expect(await db.mfaChallenges.findLiveByHash(c.tokenHash, new Date())).toBeDefined();
        expect(await db.mfaChallenges.recordFailedAttempt(c.id)).toBe(0);
        expect(await db.mfaChallenges.recordFailedAttempt(c.id)).toBe(0);
        expect(await db.mfaChallenges.findLiveByHash(c.tokenHash, new Date())).toBeUndefined();
        expect(await db.mfaChallenges.consume(c.id, new Date())).toBe(false);
        const soon = await challenge(user.id, 3, inSeconds(60));
        expect(
          await db.mfaChallenges.findLiveByHash(soon.tokenHash, inSeconds(61)),
        ).toBeUndefined();
        expect(await db.mfaChallenges.consume(soon.id, inSeconds(61))).toBe(false);
      });

      it('refuses a malformed hash, a reused hash and an unknown user; sweeps expired ones', async () => {
        const user = await newUser();
        const base = { userId: user.id, amr: [], maxAttempts: 1, expiresAt: inSeconds(60) };
        await expect(db.mfaChallenges.create({ ...base, tokenHash: 'x' })).rejects.toThrow(
          TypeError,
        );
        const c = await challenge(user.id);
        await expect(db.mfaChallenges.create({ ...base, tokenHash: c.tokenHash })).rejects.toThrow(
          ConflictError,
        );
        await expect(
          db.mfaChallenges.create({ ...base, userId: newId(), tokenHash: newHash() }),
        ).rejects.toThrow(NotFoundError);
        const old = await challenge(user.id, 3, inSeconds(-3600));
        expect(await db.mfaChallenges.deleteExpired(inSeconds(-60))).toBeGreaterThanOrEqual(1);
        expect(
          await db.mfaChallenges.findLiveByHash(old.tokenHash, inSeconds(-7200)),
        ).toBeUndefined();
        expect(await db.mfaChallenges.findLiveByHash(c.tokenHash, new Date())).toBeDefined();
      });
    });

    it('removes factors, codes and challenges with their user', async () => {
      const user = await newUser();
      await db.mfaFactors.create({ userId: user.id, type: 'totp' });
      await db.recoveryCodes.replaceAll(user.id, [newHash()], new Date());
      const c = await challenge2(user.id);
      await db.users.delete(user.id);
      expect(await db.mfaFactors.listByUser(user.id)).toEqual([]);
      expect(await db.recoveryCodes.countRemaining(user.id)).toBe(0);
      expect(await db.mfaChallenges.findLiveByHash(c, new Date())).toBeUndefined();
    });

    const challenge2 = async (userId: string): Promise<string> => {
      const tokenHash = newHash();
      await db.mfaChallenges.create({
        userId,
        tokenHash,
        amr: ['pwd'],
        maxAttempts: 1,
        expiresAt: inSeconds(60),
      });
      return tokenHash;
    };
  });
}
