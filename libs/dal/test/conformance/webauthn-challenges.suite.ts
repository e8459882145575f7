import type { NewWebAuthnChallenge, TenantDb } from '../../src/index';
import { ConflictError, NotFoundError } from '../../src/index';
import type { ServerFactory } from '../support/fixtures';
import { inSeconds, newHash, useMigratedTenant } from '../support/migrated-tenant';
import { newId, suffix } from '../support/fixtures';

/**
 * Passkey ceremony challenges on one driver: single use under concurrency (two replicas),
 * purpose binding, expiry, sweeping, and deletion with their user.
 */
export function describeWebAuthnChallenges(driverName: string, serverFactory: ServerFactory): void {
  describe(`WebAuthn challenges on ${driverName}`, () => {
    let db: TenantDb;
    let otherDb: TenantDb;

    const fixture = useMigratedTenant(serverFactory);
    beforeAll(() => {
      ({ db, otherDb } = fixture);
    });

    const newUser = () => {
      const email = `w-${suffix()}@example.com`;
      return db.users.create({ id: newId(), email, emailNormalized: email, name: null });
    };
    const newChallenge = (overrides: Partial<NewWebAuthnChallenge> = {}) =>
      db.webauthnChallenges.create({
        purpose: 'registration',
        challengeHash: newHash(),
        expiresAt: inSeconds(300),
        ...overrides,
      });

    it('stores a challenge for a user or for nobody and consumes it once, for its purpose only', async () => {
      const u = await newUser();
      const bound = await newChallenge({ userId: u.id });
      expect(bound).toMatchObject({ userId: u.id, purpose: 'registration', consumedAt: null });
      const now = new Date();
      expect(
        await db.webauthnChallenges.consume('second_factor', bound.challengeHash, now),
      ).toBeUndefined();
      expect(await db.webauthnChallenges.consume('registration', bound.challengeHash, now)).toEqual(
        {
          ...bound,
          consumedAt: now,
        },
      );
      expect(
        await db.webauthnChallenges.consume('registration', bound.challengeHash, now),
      ).toBeUndefined();

      const anonymous = await newChallenge({ purpose: 'authentication' });
      expect(anonymous.userId).toBeNull();
      expect(
        (await otherDb.webauthnChallenges.consume('authentication', anonymous.challengeHash, now))
          ?.userId,
      ).toBeNull();
      expect(await db.webauthnChallenges.consume('authentication', newHash(), now)).toBeUndefined();
    });

    it('refuses a duplicate hash, an unknown user and malformed fields', async () => {
      const c = await newChallenge();
      await expect(
        newChallenge({ challengeHash: c.challengeHash, purpose: 'authentication' }),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(newChallenge({ userId: newId() })).rejects.toBeInstanceOf(NotFoundError);
      await expect(newChallenge({ challengeHash: 'ABC' })).rejects.toThrow(TypeError);
      await expect(
        newChallenge({ purpose: 'sign_up' as NewWebAuthnChallenge['purpose'] }),
      ).rejects.toThrow(TypeError);
    });

    it('lets exactly one of many concurrent consumers win', async () => {
      for (let round = 0; round < 3; round += 1) {
        const c = await newChallenge({ purpose: 'authentication' });
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            (i % 2 === 0 ? db : otherDb).webauthnChallenges.consume(
              'authentication',
              c.challengeHash,
              new Date(),
            ),
          ),
        );
        expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      }
    });

    it('expires: not consumed at or after its expiry', async () => {
      const expiresAt = inSeconds(300);
      const c = await newChallenge({ expiresAt });
      expect(
        await db.webauthnChallenges.consume('registration', c.challengeHash, expiresAt),
      ).toBeUndefined();
      const justBefore = new Date(expiresAt.getTime() - 1);
      expect(
        await db.webauthnChallenges.consume('registration', c.challengeHash, justBefore),
      ).toBeDefined();
    });

    it('sweeps expired challenges, consumed or not, and keeps live ones', async () => {
      const now = new Date();
      const expired = await newChallenge({ expiresAt: inSeconds(-60, now) });
      const spent = await newChallenge({ expiresAt: inSeconds(-30, now) });
      await db.webauthnChallenges.consume('registration', spent.challengeHash, inSeconds(-40, now));
      const live = await newChallenge({ expiresAt: inSeconds(300, now) });
      let deleted = 0;
      for (;;) {
        const n = await db.webauthnChallenges.deleteExpired(now, 1);
        deleted += n;
        if (n === 0) break;
      }
      expect(deleted).toBeGreaterThanOrEqual(2);
      // The expired row is gone (its hash is free again); the live one still works.
      await expect(newChallenge({ challengeHash: expired.challengeHash })).resolves.toBeDefined();
      expect(
        await db.webauthnChallenges.consume('registration', live.challengeHash, now),
      ).toBeDefined();
      await expect(db.webauthnChallenges.deleteExpired(now, 0)).rejects.toThrow(RangeError);
    });

    it('dies with its user', async () => {
      const u = await newUser();
      const c = await newChallenge({ userId: u.id, purpose: 'second_factor' });
      await db.users.delete(u.id);
      expect(
        await db.webauthnChallenges.consume('second_factor', c.challengeHash, new Date()),
      ).toBeUndefined();
      // The hash is free again: the row is gone, not merely unusable.
      await expect(newChallenge({ challengeHash: c.challengeHash })).resolves.toBeDefined();
    });
  });
}
