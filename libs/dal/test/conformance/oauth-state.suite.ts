import type {
  NewAuthorizationCode,
  TenantConnectionInfo,
  TenantDb,
  TenantPools,
} from '../../src/index';
import {
  ConflictError,
  InvalidCursorError,
  NotFoundError,
  createKnex,
  dropManagedDatabase,
  ensureManagedDatabase,
  managedDatabaseUrl,
} from '../../src/index';
import * as addSessionSso from '../../src/migrations/tenant/20261205100000_add_session_sso';
import * as createLoginTransactions from '../../src/migrations/tenant/20261205100100_create_oauth_login_transactions';
import * as createAuthorizationCodes from '../../src/migrations/tenant/20261205100200_create_oauth_authorization_codes';
import * as createConsents from '../../src/migrations/tenant/20261205100300_create_oauth_consents';
import type { ServerFactory, ServerFixture } from '../support/fixtures';
import { inSeconds, newHash, useMigratedTenant } from '../support/migrated-tenant';
import { allPages, newId, sleep, suffix } from '../support/fixtures';

/**
 * The authorization state of the OAuth/OIDC code flow (login transactions, codes, consent,
 * browser sessions), on one driver: everything any replica must be able to read back, and the
 * single-use guarantees under concurrency.
 */
export function describeOAuthState(driverName: string, serverFactory: ServerFactory): void {
  describe(`OAuth authorization state on ${driverName}`, () => {
    let server: ServerFixture;
    let pools: TenantPools;
    let db: TenantDb;

    const fixture = useMigratedTenant(serverFactory);
    beforeAll(() => {
      ({ server, pools, db } = fixture);
    });

    const newUser = () => {
      const email = `o-${suffix()}@example.com`;
      return db.users.create({ id: newId(), email, emailNormalized: email, name: null });
    };
    const newBrowserSession = (
      userId: string,
      options: { handleHash?: string; expiresAt?: Date } = {},
    ) =>
      db.browserSessions.create({
        id: newId(),
        userId,
        handleHash: options.handleHash ?? newHash(),
        expiresAt: options.expiresAt ?? inSeconds(3600),
        authTime: new Date(),
        amr: ['pwd'],
        acr: null,
        userAgent: 'jest',
        ip: '::1',
      });
    const clientSession = (userId: string, browserSessionId: string | null, clientId = 'app') =>
      db.sessions.create({
        id: newId(),
        userId,
        expiresAt: inSeconds(3600),
        userAgent: null,
        ip: null,
        authTime: new Date(Date.now() - 5000),
        amr: ['pwd', 'otp'],
        acr: 'urn:hellojohn:mfa',
        browserSessionId,
        clientId,
        scope: 'openid offline_access',
      });

    describe('browser sessions', () => {
      it('finds a live session by its handle hash, never an expired or unknown one', async () => {
        const u = await newUser();
        const handleHash = newHash();
        const s = await newBrowserSession(u.id, { handleHash });
        expect(s).toMatchObject({ kind: 'browser', userId: u.id, amr: ['pwd'], acr: null });
        const now = new Date();
        expect(await db.browserSessions.findLiveByHandleHash(handleHash, now)).toEqual(s);
        expect(await db.browserSessions.findLiveByHandleHash(newHash(), now)).toBeUndefined();
        expect(
          await db.browserSessions.findLiveByHandleHash(handleHash, inSeconds(3601)),
        ).toBeUndefined();
        expect((await db.sessions.findById(s.id))?.kind).toBe('browser');

        await expect(newBrowserSession(u.id, { handleHash })).rejects.toBeInstanceOf(ConflictError);
        await expect(newBrowserSession(newId())).rejects.toBeInstanceOf(NotFoundError);
        await expect(newBrowserSession(u.id, { handleHash: 'A'.repeat(64) })).rejects.toThrow(
          TypeError,
        );
      });

      it('touches and slides a live session only, and re-authenticates with a new handle', async () => {
        const u = await newUser();
        const handleHash = newHash();
        const s = await newBrowserSession(u.id, { handleHash, expiresAt: inSeconds(60) });
        const later = inSeconds(30);
        expect(await db.browserSessions.touch(s.id, later, inSeconds(3600, later))).toBe(true);
        const touched = await db.sessions.findById(s.id);
        expect(touched?.lastUsedAt).toEqual(later);
        expect(touched?.expiresAt).toEqual(inSeconds(3600, later));
        expect(await db.browserSessions.touch(s.id, inSeconds(7200), inSeconds(9000))).toBe(false);
        const token = await clientSession(u.id, null);
        expect(await db.browserSessions.touch(token.id, new Date())).toBe(false);

        const rotated = newHash();
        const authTime = inSeconds(40);
        expect(
          await db.browserSessions.reauthenticate(s.id, authTime, {
            handleHash: rotated,
            authTime,
            amr: ['pwd', 'otp', 'mfa'],
            acr: 'urn:hellojohn:mfa',
          }),
        ).toBe(true);
        expect(await db.browserSessions.findLiveByHandleHash(handleHash, authTime)).toBeUndefined();
        expect(await db.browserSessions.findLiveByHandleHash(rotated, authTime)).toMatchObject({
          id: s.id,
          authTime,
          amr: ['pwd', 'otp', 'mfa'],
          acr: 'urn:hellojohn:mfa',
        });
        const other = await newBrowserSession(u.id);
        await expect(
          db.browserSessions.reauthenticate(other.id, new Date(), {
            handleHash: rotated,
            authTime,
            amr: ['pwd'],
            acr: null,
          }),
        ).rejects.toBeInstanceOf(ConflictError);
      });

      it('revokes the client sessions started from it, and nothing else', async () => {
        const u = await newUser();
        const browser = await newBrowserSession(u.id);
        const tied = [await clientSession(u.id, browser.id), await clientSession(u.id, browser.id)];
        const untied = await clientSession(u.id, null);
        const elsewhere = await clientSession(u.id, (await newBrowserSession(u.id)).id);
        expect(tied[0]).toMatchObject({
          kind: 'token',
          browserSessionId: browser.id,
          clientId: 'app',
          scope: 'openid offline_access',
          amr: ['pwd', 'otp'],
          acr: 'urn:hellojohn:mfa',
        });

        expect(await db.browserSessions.revoke(browser.id, 'sign_out')).toBe(true);
        expect(await db.browserSessions.revoke(browser.id, 'sign_out')).toBe(false);
        for (const s of [browser, ...tied]) {
          expect((await db.sessions.findById(s.id))?.revokeReason).toBe('sign_out');
        }
        for (const s of [untied, elsewhere]) {
          expect((await db.sessions.findById(s.id))?.revokedAt).toBeNull();
        }
      });

      it('is listed, revoked by id (DELETE /v1/sessions) and by sign-out everywhere', async () => {
        const u = await newUser();
        const first = newHash();
        const browser = await newBrowserSession(u.id, { handleHash: first });
        const tied = await clientSession(u.id, browser.id);
        const plain = await db.sessions.create({
          id: newId(),
          userId: u.id,
          expiresAt: inSeconds(3600),
          userAgent: null,
          ip: null,
        });
        expect(plain).toMatchObject({ kind: 'token', amr: [], clientId: null, scope: null });
        expect(plain.authTime).toEqual(plain.createdAt);

        const listed = await allPages((cursor) =>
          db.sessions.pageActiveForUser(u.id, { limit: 1, cursor }),
        );
        expect(listed.map((s) => s.id).sort()).toEqual([browser.id, tied.id, plain.id].sort());
        expect(listed.find((s) => s.id === browser.id)?.kind).toBe('browser');

        expect(await db.sessions.revoke(browser.id, 'session_deleted')).toBe(true);
        expect(await db.browserSessions.findLiveByHandleHash(first, new Date())).toBeUndefined();
        expect((await db.sessions.findById(tied.id))?.revokeReason).toBe('session_deleted');

        const second = newHash();
        await newBrowserSession(u.id, { handleHash: second });
        expect(await db.sessions.revokeAllForUserListed(u.id, 'sign_out_all')).toHaveLength(2);
        expect(await db.browserSessions.findLiveByHandleHash(second, new Date())).toBeUndefined();
      });

      it("revokes a user's sessions of one client", async () => {
        const u = await newUser();
        const a = [await clientSession(u.id, null, 'a'), await clientSession(u.id, null, 'a')];
        const b = await clientSession(u.id, null, 'b');
        const theirs = await clientSession((await newUser()).id, null, 'a');
        expect(
          (await db.sessions.revokeForClientListed(u.id, 'a', 'consent_revoked')).sort(),
        ).toEqual(a.map((s) => s.id).sort());
        expect(await db.sessions.revokeForClientListed(u.id, 'a', 'consent_revoked')).toEqual([]);
        for (const s of a) expect((await db.sessions.findById(s.id))?.revokedAt).not.toBeNull();
        for (const s of [b, theirs]) {
          expect((await db.sessions.findById(s.id))?.revokedAt).toBeNull();
        }
      });

      it("lists the ids of a user's sessions of one client it revoked", async () => {
        const u = await newUser();
        const a = [await clientSession(u.id, null, 'a'), await clientSession(u.id, null, 'a')];
        const b = await clientSession(u.id, null, 'b');
        const ids = await db.sessions.revokeForClientListed(u.id, 'a', 'consent_revoked');
        expect([...ids].sort()).toEqual(a.map((s) => s.id).sort());
        expect(await db.sessions.revokeForClientListed(u.id, 'a', 'consent_revoked')).toEqual([]);
        expect((await db.sessions.findById(b.id))?.revokedAt).toBeNull();
      });
    });

    describe('authorization codes', () => {
      const newCode = async (overrides: Partial<NewAuthorizationCode> = {}) => {
        const u = await newUser();
        const browser = await newBrowserSession(u.id);
        return db.authorizationCodes.create({
          codeHash: newHash(),
          clientId: 'app',
          userId: u.id,
          sessionId: browser.id,
          redirectUri: 'https://app.example/cb?x=1',
          scope: 'openid profile',
          nonce: 'n-0S6_WzA2Mj',
          codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          codeChallengeMethod: 'S256',
          authTime: browser.authTime,
          amr: ['pwd'],
          acr: null,
          expiresAt: inSeconds(60),
          ...overrides,
        });
      };

      it('stores a code hashed and reads it back whole', async () => {
        const code = await newCode();
        expect(code).toMatchObject({
          clientId: 'app',
          redirectUri: 'https://app.example/cb?x=1',
          codeChallengeMethod: 'S256',
          amr: ['pwd'],
          consumedAt: null,
          issuedSessionId: null,
        });
        expect(await db.authorizationCodes.findByHash(code.codeHash)).toEqual(code);
        expect(await db.authorizationCodes.findByHash(newHash())).toBeUndefined();
        await expect(newCode({ codeHash: code.codeHash })).rejects.toBeInstanceOf(ConflictError);
        await expect(newCode({ sessionId: newId() })).rejects.toBeInstanceOf(NotFoundError);
        await expect(newCode({ codeHash: 'short' })).rejects.toThrow(TypeError);
      });

      it('is redeemed once; a replay is told apart and names what the first use issued', async () => {
        const code = await newCode();
        const issued = newId();
        const first = await db.authorizationCodes.consume(code.codeHash, new Date(), issued);
        expect(first.outcome).toBe('redeemed');
        if (first.outcome !== 'redeemed') return;
        expect(first.code.consumedAt).toBeInstanceOf(Date);
        expect(first.code.issuedSessionId).toBe(issued);

        const replay = await db.authorizationCodes.consume(code.codeHash, new Date(), newId());
        expect(replay).toEqual({ outcome: 'replayed', code: first.code });
        // Still a replay after the code expired: a late replay must revoke too.
        expect(
          (await db.authorizationCodes.consume(code.codeHash, inSeconds(3600), newId())).outcome,
        ).toBe('replayed');
        expect(await db.authorizationCodes.consume(newHash(), new Date(), newId())).toEqual({
          outcome: 'invalid',
        });
      });

      it('expires after its lifetime unspent', async () => {
        const code = await newCode({ expiresAt: inSeconds(60) });
        expect(await db.authorizationCodes.consume(code.codeHash, inSeconds(61), newId())).toEqual({
          outcome: 'invalid',
        });
        expect((await db.authorizationCodes.findByHash(code.codeHash))?.consumedAt).toBeNull();
      });

      it('lets exactly one of many concurrent redemptions win', async () => {
        for (let round = 0; round < 3; round += 1) {
          const code = await newCode();
          const ids = Array.from({ length: 12 }, () => newId());
          const results = await Promise.all(
            ids.map((id) => db.authorizationCodes.consume(code.codeHash, new Date(), id)),
          );
          const winners = results.filter((r) => r.outcome === 'redeemed');
          expect(winners).toHaveLength(1);
          const winner = winners[0]!;
          expect(ids).toContain(winner.code.issuedSessionId);
          for (const r of results.filter((x) => x !== winner)) {
            expect(r.outcome).toBe('replayed');
            if (r.outcome === 'replayed') {
              expect(r.code.issuedSessionId).toBe(winner.code.issuedSessionId);
            }
          }
        }
      });

      it('makes a replay wait for the redeeming transaction, then revoke what it issued', async () => {
        const code = await newCode();
        const issued = newId();
        let consumed!: () => void;
        const consumedNow = new Promise<void>((resolve) => (consumed = resolve));
        const redeem = db.transaction(async (tx) => {
          const result = await tx.authorizationCodes.consume(code.codeHash, new Date(), issued);
          consumed();
          // The replay runs meanwhile; the tokens' session appears only now, before commit.
          await sleep(100);
          await tx.sessions.create({
            id: issued,
            userId: code.userId,
            expiresAt: inSeconds(3600),
            userAgent: null,
            ip: null,
            browserSessionId: code.sessionId,
            clientId: code.clientId,
            scope: code.scope,
          });
          return result.outcome;
        });
        await consumedNow;
        const replay = await db.authorizationCodes.consume(code.codeHash, new Date(), newId());
        // The replay's answer came only after the redemption committed: its session exists.
        expect(await db.sessions.findById(issued)).toBeDefined();
        expect(await redeem).toBe('redeemed');
        expect(replay.outcome).toBe('replayed');
        if (replay.outcome !== 'replayed') return;
        expect(replay.code.issuedSessionId).toBe(issued);
        expect(await db.sessions.revoke(issued, 'authorization_code_reused')).toBe(true);
      });

      it('dies with its browser session’s user', async () => {
        const code = await newCode();
        await db.users.delete(code.userId);
        expect(await db.authorizationCodes.findByHash(code.codeHash)).toBeUndefined();
      });
    });

    describe('login transactions', () => {
      const request = {
        response_type: 'code',
        redirect_uri: 'https://app.example/cb',
        scope: 'openid email',
        state: 'af0ifjsldkj',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        max_age: 0,
      };
      const newTransaction = (handleHash = newHash(), expiresAt = inSeconds(600)) =>
        db.loginTransactions.create({ handleHash, clientId: 'app', request, expiresAt });

      it('keeps the validated request, absent parameters as null', async () => {
        const handleHash = newHash();
        const tx = await newTransaction(handleHash);
        expect(tx.request).toEqual({
          ...request,
          nonce: null,
          prompt: null,
          login_hint: null,
          ui_locales: null,
          response_mode: null,
          acr_values: null,
          display: null,
          resource: null,
        });
        expect(await db.loginTransactions.findLiveByHandleHash(handleHash, new Date())).toEqual(tx);
        expect(
          await db.loginTransactions.findLiveByHandleHash(handleHash, inSeconds(601)),
        ).toBeUndefined();
        await expect(newTransaction(handleHash)).rejects.toBeInstanceOf(ConflictError);
      });

      it('completes once, even when completed concurrently', async () => {
        const handleHash = newHash();
        const tx = await newTransaction(handleHash);
        const results = await Promise.all(
          Array.from({ length: 8 }, () => db.loginTransactions.complete(tx.id, new Date())),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await db.loginTransactions.complete(tx.id, new Date())).toBe(false);
        expect(
          await db.loginTransactions.findLiveByHandleHash(handleHash, new Date()),
        ).toBeUndefined();
        const expired = await newTransaction(newHash(), inSeconds(600));
        expect(await db.loginTransactions.complete(expired.id, inSeconds(601))).toBe(false);
        expect(await db.loginTransactions.complete(newId(), new Date())).toBe(false);
      });
    });

    describe('sweeping expired state', () => {
      it('deletes at most `limit` rows expired before `before`, soonest expired first', async () => {
        // Far in the future, so rows of the other tests (all expiring sooner) are swept first.
        const base = inSeconds(400 * 24 * 3600);
        const made = [];
        for (let i = 0; i < 5; i += 1) {
          made.push(
            await db.loginTransactions.create({
              handleHash: newHash(),
              clientId: 'app',
              request: {
                response_type: 'code',
                redirect_uri: 'https://a.example',
                scope: 'openid',
              },
              expiresAt: inSeconds(i, base),
            }),
          );
        }
        await db.loginTransactions.deleteExpired(base, 1000);
        expect(await db.loginTransactions.deleteExpired(inSeconds(3, base), 2)).toBe(2);
        expect(await db.loginTransactions.deleteExpired(inSeconds(3, base), 2)).toBe(1);
        expect(await db.loginTransactions.deleteExpired(inSeconds(3, base), 2)).toBe(0);
        const left = [];
        for (const tx of made) {
          left.push(await db.loginTransactions.findLiveByHandleHash(tx.handleHash, new Date()));
        }
        expect(left.map((tx) => tx?.id)).toEqual([
          undefined,
          undefined,
          undefined,
          made[3]!.id,
          made[4]!.id,
        ]);
        await expect(db.loginTransactions.deleteExpired(base, 0)).rejects.toBeInstanceOf(
          RangeError,
        );
      });

      it('sweeps codes by expiry, spent or not', async () => {
        const u = await newUser();
        const browser = await newBrowserSession(u.id);
        const base = inSeconds(400 * 24 * 3600);
        const code = (expiresAt: Date) =>
          db.authorizationCodes.create({
            codeHash: newHash(),
            clientId: 'app',
            userId: u.id,
            sessionId: browser.id,
            redirectUri: 'https://app.example/cb',
            scope: 'openid',
            nonce: null,
            codeChallenge: null,
            codeChallengeMethod: null,
            authTime: new Date(),
            amr: [],
            acr: null,
            expiresAt,
          });
        await db.authorizationCodes.deleteExpired(base, 1000);
        const spent = await code(inSeconds(1, base));
        await db.authorizationCodes.consume(spent.codeHash, new Date(), newId());
        const unspent = await code(inSeconds(2, base));
        const live = await code(inSeconds(10, base));
        expect(await db.authorizationCodes.deleteExpired(inSeconds(5, base), 1000)).toBe(2);
        expect(await db.authorizationCodes.findByHash(spent.codeHash)).toBeUndefined();
        expect(await db.authorizationCodes.findByHash(unspent.codeHash)).toBeUndefined();
        expect(await db.authorizationCodes.findByHash(live.codeHash)).toEqual(live);
      });
    });

    describe('consents', () => {
      it('grants, widens as a union, finds, revokes and grants anew', async () => {
        const u = await newUser();
        expect(await db.consents.find(u.id, 'app')).toBeUndefined();
        const first = await db.consents.grant(u.id, 'app', ['openid', 'email', 'openid']);
        expect(first).toMatchObject({ userId: u.id, clientId: 'app', revokedAt: null });
        expect(first.scopes).toEqual(['email', 'openid']);
        expect(await db.consents.find(u.id, 'app')).toEqual(first);

        await sleep(5);
        const wider = await db.consents.grant(u.id, 'app', ['profile', 'email']);
        expect(wider.scopes).toEqual(['email', 'openid', 'profile']);
        expect(wider.grantedAt).toEqual(first.grantedAt);
        expect(wider.updatedAt.getTime()).toBeGreaterThan(first.updatedAt.getTime());
        expect(await db.consents.find(u.id, 'app')).toEqual(wider);
        expect(await db.consents.find(u.id, 'other')).toBeUndefined();

        expect(await db.consents.revoke(u.id, 'app')).toBe(true);
        expect(await db.consents.revoke(u.id, 'app')).toBe(false);
        expect(await db.consents.find(u.id, 'app')).toBeUndefined();

        await sleep(5);
        const again = await db.consents.grant(u.id, 'app', ['openid']);
        expect(again.scopes).toEqual(['openid']);
        expect(again.id).toBe(first.id);
        expect(again.createdAt).toEqual(first.createdAt);
        expect(again.grantedAt.getTime()).toBeGreaterThan(first.grantedAt.getTime());
        expect(await db.consents.find(u.id, 'app')).toEqual(again);

        await expect(db.consents.grant(newId(), 'app', ['openid'])).rejects.toBeInstanceOf(
          NotFoundError,
        );
      });

      it('keeps every scope of concurrent grants', async () => {
        const u = await newUser();
        const scopes = ['a', 'b', 'c', 'd', 'e', 'f'];
        await Promise.all(scopes.map((s) => db.consents.grant(u.id, 'app', [s])));
        expect((await db.consents.find(u.id, 'app'))?.scopes).toEqual(scopes);
      });

      it("lists a user's live consents a page at a time, newest first", async () => {
        const u = await newUser();
        const other = await newUser();
        const clients = [];
        for (let i = 0; i < 5; i += 1) {
          const clientId = `client-${i}`;
          await db.consents.grant(u.id, clientId, ['openid']);
          clients.push(clientId);
          await sleep(2);
        }
        await db.consents.grant(other.id, 'client-0', ['openid']);
        await db.consents.revoke(u.id, 'client-2');
        const listed = await allPages((cursor) =>
          db.consents.listForUser(u.id, { limit: 2, cursor }),
        );
        expect(listed.map((c) => c.clientId)).toEqual([
          'client-4',
          'client-3',
          'client-1',
          'client-0',
        ]);
        await expect(
          db.consents.listForUser(u.id, { limit: 2, cursor: 'forged' }),
        ).rejects.toBeInstanceOf(InvalidCursorError);
      });
    });

    describe('migrations', () => {
      it('roll back and forth with sessions and refresh tokens in place', async () => {
        const t: TenantConnectionInfo = { tenantId: newId(), database: { mode: 'managed' } };
        await ensureManagedDatabase(server.serverUrl, t.tenantId);
        await pools.migrate(t);
        const tenant = pools.get(t);
        const email = `m-${suffix()}@example.com`;
        const u = await tenant.users.create({
          id: newId(),
          email,
          emailNormalized: email,
          name: null,
        });
        const s = await tenant.sessions.create({
          id: newId(),
          userId: u.id,
          expiresAt: inSeconds(3600),
          userAgent: null,
          ip: null,
        });
        const token = await tenant.refreshTokens.create({
          id: newId(),
          sessionId: s.id,
          tokenHash: newHash(),
          parentId: null,
          expiresAt: inSeconds(3600),
        });
        await pools.close(t.tenantId);
        const mine = [
          addSessionSso,
          createLoginTransactions,
          createAuthorizationCodes,
          createConsents,
        ];
        const knex = createKnex(managedDatabaseUrl(server.serverUrl, t.tenantId));
        try {
          // As the migrator runs them: one transaction each. On SQLite, knex's dropColumn would
          // rebuild `sessions`, and dropping the old copy would cascade into `refresh_tokens`.
          for (const m of [...mine].reverse()) await knex.transaction((trx) => m.down(trx));
          expect(await knex('refresh_tokens').where({ id: token.id }).first()).toBeDefined();
          for (const m of mine) await knex.transaction((trx) => m.up(trx));
        } finally {
          await knex.destroy();
        }
        expect(await tenant.refreshTokens.findById(token.id)).toEqual(token);
        expect(await tenant.sessions.findById(s.id)).toEqual(s);
        await pools.close(t.tenantId);
        await dropManagedDatabase(server.serverUrl, t.tenantId);
      });
    });
  });
}
