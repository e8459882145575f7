import type {
  NewOneTimeToken,
  OutboxMailRow,
  TenantConnectionInfo,
  TenantDb,
  TenantPools,
} from '../../src/index';
import {
  ConflictError,
  NotFoundError,
  createKnex,
  dropManagedDatabase,
  ensureManagedDatabase,
  managedDatabaseUrl,
} from '../../src/index';
import * as createMailTables from '../../src/migrations/tenant/20261206100000_create_mail_tables';
import type { ServerFactory, ServerFixture } from '../support/fixtures';
import { inSeconds, newHash, useMigratedTenant } from '../support/migrated-tenant';
import { newId, suffix } from '../support/fixtures';

/**
 * The mail tables on one driver: the outbox the relay drains (claims never shared between
 * replicas, retries, dead letters, sweeping) and the one-time tokens (single use under
 * concurrency, attempt limits, expiry, revocation, deletion with the user).
 */
export function describeMail(driverName: string, serverFactory: ServerFactory): void {
  describe(`Mail tables on ${driverName}`, () => {
    let server: ServerFixture;
    let pools: TenantPools;
    let db: TenantDb;
    let otherDb: TenantDb;

    const fixture = useMigratedTenant(serverFactory);
    beforeAll(() => {
      ({ server, pools, db, otherDb } = fixture);
    });

    /**
     * Each test starts with no pending mail: earlier ones' leftovers (locked, or retried later)
     * are claimed at a far-future `now` and marked sent, so claims see only the test's own mails.
     */
    const drainDue = async (): Promise<void> => {
      const now = inSeconds(10 * 365 * 86_400);
      for (;;) {
        const rows = await db.mailOutbox.claimDue(now, 1000, 60_000);
        if (rows.length === 0) return;
        for (const row of rows) await db.mailOutbox.markSent(row.id, now);
      }
    };
    const enqueue = (kind = 'verify_email') =>
      db.mailOutbox.enqueue({
        kind,
        toAddress: `m-${suffix()}@example.com`,
        locale: 'en',
        payload: `ciphertext-${suffix()}`,
      });

    describe('outbox', () => {
      beforeEach(drainDue);

      it('enqueues a pending mail due now and reads it back whole', async () => {
        const before = Date.now();
        const mail = await enqueue();
        expect(mail).toMatchObject({
          kind: 'verify_email',
          locale: 'en',
          status: 'pending',
          attempts: 0,
          lockedUntil: null,
          lastError: null,
          sentAt: null,
        });
        expect(mail.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before);
        const claimNow = inSeconds(1);
        const [claimed] = await db.mailOutbox.claimDue(claimNow, 10, 30_000);
        expect(claimed).toEqual({ ...mail, lockedUntil: inSeconds(30, claimNow) });
      });

      it('refuses over-long fields on every driver', async () => {
        const base = { kind: 'x', toAddress: 'a@example.com', locale: 'en', payload: 'p' };
        await expect(db.mailOutbox.enqueue({ ...base, kind: 'k'.repeat(65) })).rejects.toThrow(
          RangeError,
        );
        await expect(
          db.mailOutbox.enqueue({ ...base, toAddress: `${'a'.repeat(320)}@x` }),
        ).rejects.toThrow(RangeError);
        await expect(db.mailOutbox.enqueue({ ...base, locale: 'x'.repeat(17) })).rejects.toThrow(
          RangeError,
        );
        await expect(db.mailOutbox.claimDue(new Date(), 0, 1000)).rejects.toThrow(RangeError);
        await expect(db.mailOutbox.claimDue(new Date(), 1, 0)).rejects.toThrow(RangeError);
      });

      it('claims due mails once, frees them when the lease lapses, and never before', async () => {
        const a = await enqueue();
        const b = await enqueue();
        const now = new Date();
        const first = await db.mailOutbox.claimDue(now, 10, 60_000);
        expect(first.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
        expect(await db.mailOutbox.claimDue(now, 10, 60_000)).toEqual([]);
        expect(await db.mailOutbox.claimDue(inSeconds(59, now), 10, 60_000)).toEqual([]);
        // The relay died: the lease lapses and another replica takes the mails.
        const later = inSeconds(61, now);
        const again = await otherDb.mailOutbox.claimDue(later, 1, 60_000);
        expect(again).toHaveLength(1);
        expect(again[0]?.lockedUntil).toEqual(inSeconds(60, later));
        expect(await otherDb.mailOutbox.claimDue(later, 10, 60_000)).toHaveLength(1);
        expect(await otherDb.mailOutbox.claimDue(later, 10, 60_000)).toEqual([]);
      });

      it('never gives two concurrent claimers (two replicas) the same mail', async () => {
        const mails = await Promise.all(Array.from({ length: 30 }, () => enqueue()));
        const now = new Date();
        const seen = new Map<string, number>();
        for (let round = 0; round < 20; round += 1) {
          const batches = await Promise.all(
            [db, otherDb, db, otherDb].map((d) => d.mailOutbox.claimDue(now, 4, 60_000)),
          );
          const ids = batches.flat().map((m) => m.id);
          for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
          if (ids.length === 0) break;
        }
        expect([...seen.keys()].sort()).toEqual(mails.map((m) => m.id).sort());
        expect([...seen.values()].every((n) => n === 1)).toBe(true);
      });

      it('retries a failed mail at the time given, then gives up: dead', async () => {
        const mail = await enqueue();
        const now = new Date();
        const retryAt = inSeconds(30, now);
        expect(await db.mailOutbox.claimDue(now, 10, 60_000)).toHaveLength(1);
        await db.mailOutbox.markFailed(mail.id, 'ECONNREFUSED', retryAt);
        expect(await db.mailOutbox.claimDue(inSeconds(29, now), 10, 60_000)).toEqual([]);
        let [row] = await db.mailOutbox.claimDue(retryAt, 10, 60_000);
        expect(row).toMatchObject({
          id: mail.id,
          status: 'pending',
          attempts: 1,
          lastError: 'ECONNREFUSED',
          nextAttemptAt: retryAt,
        });
        for (let attempt = 2; attempt <= 4; attempt += 1) {
          const next = inSeconds(attempt * 60, now);
          await db.mailOutbox.markFailed(mail.id, `fail ${String(attempt)}`, next);
          [row] = await db.mailOutbox.claimDue(next, 10, 60_000);
          expect(row?.attempts).toBe(attempt);
        }
        const pendingBefore = await db.mailOutbox.countPending();
        await db.mailOutbox.markFailed(mail.id, 'x'.repeat(5000), null);
        expect(await db.mailOutbox.countPending()).toBe(pendingBefore - 1);
        expect(await db.mailOutbox.claimDue(inSeconds(86_400, now), 10, 60_000)).toEqual([]);
        const dead = (await db.mailOutbox.listRecent(1000)).find((m) => m.id === mail.id);
        expect(dead).toMatchObject({ status: 'dead', attempts: 5, lockedUntil: null });
        expect(dead?.lastError).toHaveLength(1000);
        // A late success or failure report does not bring a dead mail back.
        await db.mailOutbox.markSent(mail.id, new Date());
        await db.mailOutbox.markFailed(mail.id, 'late', inSeconds(1));
        const still = (await db.mailOutbox.listRecent(1000)).find((m) => m.id === mail.id);
        expect(still).toEqual(dead);
      });

      it('marks a mail sent once; a late failure report leaves it sent', async () => {
        const mail = await enqueue();
        const now = new Date();
        await db.mailOutbox.claimDue(now, 10, 60_000);
        await db.mailOutbox.markSent(mail.id, now);
        await db.mailOutbox.markFailed(mail.id, 'timeout after send', null);
        const sent = (await db.mailOutbox.listRecent(1000)).find((m) => m.id === mail.id);
        expect(sent).toMatchObject({ status: 'sent', sentAt: now, attempts: 0, lockedUntil: null });
        expect(await db.mailOutbox.claimDue(inSeconds(3600, now), 10, 60_000)).toEqual([]);
      });

      it('counts pending mails, waiting retries included', async () => {
        const start = await db.mailOutbox.countPending();
        const a = await enqueue();
        await enqueue();
        expect(await db.mailOutbox.countPending()).toBe(start + 2);
        await db.mailOutbox.claimDue(new Date(), 10, 60_000);
        await db.mailOutbox.markFailed(a.id, 'later', inSeconds(3600));
        expect(await db.mailOutbox.countPending()).toBe(start + 2);
        await db.mailOutbox.markSent(a.id, new Date());
        expect(await db.mailOutbox.countPending()).toBe(start + 1);
      });

      it('lists the newest mails, oldest first, in the order they were enqueued', async () => {
        const mails: OutboxMailRow[] = [];
        for (let i = 0; i < 6; i += 1) mails.push(await enqueue(`kind_${String(i)}`));
        const recent = await db.mailOutbox.listRecent(4);
        expect(recent.map((m) => m.id)).toEqual(mails.slice(2).map((m) => m.id));
        expect(recent.at(-1)).toEqual(mails.at(-1));
      });

      it('deletes at most `limit` mails sent before `before`, oldest first, never pending', async () => {
        const base = new Date();
        const sentMails: OutboxMailRow[] = [];
        for (let i = 0; i < 3; i += 1) sentMails.push(await enqueue());
        const pending = await enqueue();
        await db.mailOutbox.claimDue(base, 10, 60_000);
        for (const [i, m] of sentMails.entries()) {
          await db.mailOutbox.markSent(m.id, inSeconds(-3000 + i, base));
        }
        await db.mailOutbox.markFailed(pending.id, 'down', inSeconds(-3000, base));
        const old = inSeconds(-1000, base);
        await expect(db.mailOutbox.deleteSentBefore(old, 0)).rejects.toThrow(RangeError);
        expect(await db.mailOutbox.deleteSentBefore(old, 2)).toBe(2);
        const left = await db.mailOutbox.listRecent(1000);
        const ids = new Set(left.map((m) => m.id));
        expect(ids.has(sentMails[0]!.id)).toBe(false);
        expect(ids.has(sentMails[1]!.id)).toBe(false);
        expect(ids.has(sentMails[2]!.id)).toBe(true);
        expect(ids.has(pending.id)).toBe(true);
        expect(await db.mailOutbox.deleteSentBefore(old, 1000)).toBeGreaterThanOrEqual(1);
        expect(await db.mailOutbox.deleteSentBefore(old, 1000)).toBe(0);
        expect((await db.mailOutbox.listRecent(1000)).some((m) => m.id === pending.id)).toBe(true);
      });
      it('deletes at most `limit` dead mails queued before `before`, never pending or sent', async () => {
        await drainDue();
        // Earlier tests' dead mails would be the oldest: gone first, so the counts are this test's.
        await db.mailOutbox.deleteDeadBefore(inSeconds(3600), 1000);
        const base = new Date();
        const dead: OutboxMailRow[] = [];
        for (let i = 0; i < 3; i += 1) dead.push(await enqueue());
        const pending = await enqueue();
        const sent = await enqueue();
        await db.mailOutbox.claimDue(base, 10, 60_000);
        for (const m of dead) await db.mailOutbox.markFailed(m.id, 'refused', null);
        await db.mailOutbox.markFailed(pending.id, 'down', inSeconds(3000, base));
        await db.mailOutbox.markSent(sent.id, base);
        await expect(db.mailOutbox.deleteDeadBefore(base, 0)).rejects.toThrow(RangeError);
        // Queued now: not older than `before` an hour ago.
        expect(await db.mailOutbox.deleteDeadBefore(inSeconds(-3600, base), 1000)).toBe(0);
        const later = inSeconds(3600, base);
        expect(await db.mailOutbox.deleteDeadBefore(later, 2)).toBe(2);
        const ids = new Set((await db.mailOutbox.listRecent(1000)).map((m) => m.id));
        expect(ids.has(dead[0]!.id)).toBe(false);
        expect(ids.has(dead[1]!.id)).toBe(false);
        expect(ids.has(dead[2]!.id)).toBe(true);
        expect(await db.mailOutbox.deleteDeadBefore(later, 1000)).toBeGreaterThanOrEqual(1);
        expect(await db.mailOutbox.deleteDeadBefore(later, 1000)).toBe(0);
        const left = new Set((await db.mailOutbox.listRecent(1000)).map((m) => m.id));
        expect(left.has(pending.id)).toBe(true);
        expect(left.has(sent.id)).toBe(true);
      });
    });

    describe('one-time tokens', () => {
      const newUser = () => {
        const email = `t-${suffix()}@example.com`;
        return db.users.create({ id: newId(), email, emailNormalized: email, name: null });
      };
      const newToken = (
        userId: string,
        overrides: Partial<NewOneTimeToken> = {},
      ): ReturnType<TenantDb['oneTimeTokens']['create']> =>
        db.oneTimeTokens.create({
          userId,
          purpose: 'password_reset',
          secretHash: newHash(),
          email: 'someone@example.com',
          maxAttempts: 5,
          expiresAt: inSeconds(1800),
          ...overrides,
        });

      it('stores a token hashed and consumes it once', async () => {
        const u = await newUser();
        const t = await newToken(u.id);
        expect(t).toMatchObject({
          userId: u.id,
          purpose: 'password_reset',
          attempts: 0,
          maxAttempts: 5,
          consumedAt: null,
        });
        const now = new Date();
        expect(await db.oneTimeTokens.consume('verify_email', t.secretHash, now)).toBeUndefined();
        expect(await db.oneTimeTokens.consume('password_reset', t.secretHash, now)).toEqual({
          ...t,
          consumedAt: now,
        });
        expect(await db.oneTimeTokens.consume('password_reset', t.secretHash, now)).toBeUndefined();
        expect(await db.oneTimeTokens.consume('password_reset', newHash(), now)).toBeUndefined();
      });

      it('refuses a duplicate hash, an unknown user and malformed fields', async () => {
        const u = await newUser();
        const t = await newToken(u.id);
        await expect(newToken(u.id, { secretHash: t.secretHash })).rejects.toBeInstanceOf(
          ConflictError,
        );
        // The same hash for another purpose is another token.
        await expect(
          newToken(u.id, { secretHash: t.secretHash, purpose: 'magic_link' }),
        ).resolves.toBeDefined();
        await expect(newToken(newId())).rejects.toBeInstanceOf(NotFoundError);
        await expect(newToken(u.id, { secretHash: 'ABC' })).rejects.toThrow(TypeError);
        await expect(newToken(u.id, { maxAttempts: 0 })).rejects.toThrow(RangeError);
        await expect(newToken(u.id, { email: 'x'.repeat(321) })).rejects.toThrow(RangeError);
      });

      it('peeks at a live token without spending it, and not at a spent or expired one', async () => {
        const user = await newUser();
        const hash = newHash();
        await newToken(user.id, { secretHash: hash, maxAttempts: 1 });
        const now = new Date();
        expect((await db.oneTimeTokens.peek('password_reset', hash, now))?.userId).toBe(user.id);
        expect(await db.oneTimeTokens.peek('magic_link', hash, now)).toBeUndefined();
        expect(
          await db.oneTimeTokens.peek('password_reset', hash, inSeconds(7200)),
        ).toBeUndefined();
        expect(await db.oneTimeTokens.consume('password_reset', hash, now)).toBeDefined();
        expect(await db.oneTimeTokens.peek('password_reset', hash, now)).toBeUndefined();
      });

      it('lets exactly one of many concurrent consumers win', async () => {
        const u = await newUser();
        for (let round = 0; round < 3; round += 1) {
          const t = await newToken(u.id, { purpose: 'magic_link' });
          const results = await Promise.all(
            Array.from({ length: 12 }, (_, i) =>
              (i % 2 === 0 ? db : otherDb).oneTimeTokens.consume(
                'magic_link',
                t.secretHash,
                new Date(),
              ),
            ),
          );
          expect(results.filter((r) => r !== undefined)).toHaveLength(1);
        }
      });

      it('expires: neither consumed nor found live at or after its expiry', async () => {
        const u = await newUser();
        const expiresAt = inSeconds(600);
        const t = await newToken(u.id, { purpose: 'verify_email', expiresAt });
        expect(await db.oneTimeTokens.findLive(u.id, 'verify_email', expiresAt)).toBeUndefined();
        expect(
          await db.oneTimeTokens.consume('verify_email', t.secretHash, expiresAt),
        ).toBeUndefined();
        const justBefore = new Date(expiresAt.getTime() - 1);
        expect(await db.oneTimeTokens.findLive(u.id, 'verify_email', justBefore)).toEqual(t);
        expect(
          await db.oneTimeTokens.consume('verify_email', t.secretHash, justBefore),
        ).toBeDefined();
      });

      it('counts wrong guesses up to the limit, then the token is dead', async () => {
        const u = await newUser();
        const t = await newToken(u.id, { purpose: 'email_otp', maxAttempts: 3 });
        const now = new Date();
        expect(await db.oneTimeTokens.recordFailedAttempt(t.id)).toBe(2);
        expect(await db.oneTimeTokens.recordFailedAttempt(t.id)).toBe(1);
        expect((await db.oneTimeTokens.findLive(u.id, 'email_otp', now))?.attempts).toBe(2);
        expect(await db.oneTimeTokens.recordFailedAttempt(t.id)).toBe(0);
        expect(await db.oneTimeTokens.recordFailedAttempt(t.id)).toBe(0);
        expect(await db.oneTimeTokens.findLive(u.id, 'email_otp', now)).toBeUndefined();
        expect(await db.oneTimeTokens.consume('email_otp', t.secretHash, now)).toBeUndefined();
        expect(await db.oneTimeTokens.recordFailedAttempt(newId())).toBe(0);
      });

      it('never counts concurrent wrong guesses past the limit', async () => {
        const u = await newUser();
        const t = await newToken(u.id, { purpose: 'email_otp', maxAttempts: 5 });
        const left = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            (i % 2 === 0 ? db : otherDb).oneTimeTokens.recordFailedAttempt(t.id),
          ),
        );
        expect(Math.min(...left)).toBe(0);
        expect(await db.oneTimeTokens.findLive(u.id, 'email_otp', new Date())).toBeUndefined();
        expect(await db.oneTimeTokens.revokeAll(u.id, 'email_otp', new Date())).toBe(0);
      });

      it('finds the newest live token of the user for the purpose', async () => {
        const u = await newUser();
        const other = await newUser();
        await newToken(u.id, { purpose: 'email_otp' });
        await newToken(other.id, { purpose: 'email_otp' });
        await newToken(u.id, { purpose: 'magic_link' });
        const newest = await newToken(u.id, { purpose: 'email_otp' });
        const live = await db.oneTimeTokens.findLive(u.id, 'email_otp', new Date());
        // Two created within one millisecond may tie; the newest by time is never older.
        expect(live?.createdAt.getTime()).toBe(newest.createdAt.getTime());
      });

      it('revokes every live token of the user for the purpose, and only those', async () => {
        const u = await newUser();
        const other = await newUser();
        const now = new Date();
        const a = await newToken(u.id);
        const b = await newToken(u.id);
        const spent = await newToken(u.id);
        await db.oneTimeTokens.consume('password_reset', spent.secretHash, now);
        await newToken(u.id, { expiresAt: inSeconds(-1, now) });
        const magic = await newToken(u.id, { purpose: 'magic_link' });
        const theirs = await newToken(other.id);
        expect(await db.oneTimeTokens.revokeAll(u.id, 'password_reset', now)).toBe(2);
        expect(await db.oneTimeTokens.revokeAll(u.id, 'password_reset', now)).toBe(0);
        for (const t of [a, b]) {
          expect(
            await db.oneTimeTokens.consume('password_reset', t.secretHash, now),
          ).toBeUndefined();
        }
        expect(await db.oneTimeTokens.consume('magic_link', magic.secretHash, now)).toBeDefined();
        expect(
          await db.oneTimeTokens.consume('password_reset', theirs.secretHash, now),
        ).toBeDefined();
      });

      it('dies with its user', async () => {
        const u = await newUser();
        const t = await newToken(u.id, { purpose: 'verify_email' });
        await db.users.delete(u.id);
        expect(await db.oneTimeTokens.findLive(u.id, 'verify_email', new Date())).toBeUndefined();
        expect(
          await db.oneTimeTokens.consume('verify_email', t.secretHash, new Date()),
        ).toBeUndefined();
      });

      it('deletes at most `limit` tokens expired before `before`, consumed or not', async () => {
        const u = await newUser();
        const base = inSeconds(-7200);
        const expired = [];
        for (let i = 0; i < 3; i += 1) {
          expired.push(await newToken(u.id, { expiresAt: inSeconds(i, base) }));
        }
        await db.oneTimeTokens.consume(
          'password_reset',
          expired[2]!.secretHash,
          inSeconds(-1, base),
        );
        const live = await newToken(u.id, { purpose: 'magic_link' });
        const before = inSeconds(3600, base);
        await expect(db.oneTimeTokens.deleteExpired(before, 0)).rejects.toThrow(RangeError);
        const first = await db.oneTimeTokens.deleteExpired(before, 2);
        expect(first).toBe(2);
        let rest = 0;
        for (;;) {
          const n = await db.oneTimeTokens.deleteExpired(before, 1000);
          rest += n;
          if (n < 1000) break;
        }
        expect(rest).toBeGreaterThanOrEqual(1);
        expect(await db.oneTimeTokens.findLive(u.id, 'magic_link', new Date())).toEqual(live);
      });
    });

    describe('migration', () => {
      it('rolls back and forth on a tenant with users', async () => {
        const t: TenantConnectionInfo = { tenantId: newId(), database: { mode: 'managed' } };
        await ensureManagedDatabase(server.serverUrl, t.tenantId);
        await pools.migrate(t);
        const tenant = pools.get(t);
        const email = `r-${suffix()}@example.com`;
        const u = await tenant.users.create({
          id: newId(),
          email,
          emailNormalized: email,
          name: null,
        });
        await tenant.oneTimeTokens.create({
          userId: u.id,
          purpose: 'verify_email',
          secretHash: newHash(),
          email,
          maxAttempts: 1,
          expiresAt: inSeconds(600),
        });
        await pools.close(t.tenantId);
        const knex = createKnex(managedDatabaseUrl(server.serverUrl, t.tenantId));
        try {
          await knex.transaction((trx) => createMailTables.down(trx));
          expect(await knex.schema.hasTable('one_time_tokens')).toBe(false);
          expect(await knex.schema.hasTable('mail_outbox')).toBe(false);
          await knex.transaction((trx) => createMailTables.up(trx));
        } finally {
          await knex.destroy();
        }
        expect((await tenant.users.findById(u.id))?.id).toBe(u.id);
        expect(await tenant.mailOutbox.countPending()).toBe(0);
        await pools.close(t.tenantId);
        await dropManagedDatabase(server.serverUrl, t.tenantId);
      });
    });
  });
}
