import { randomInt, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import request, { type Test } from 'supertest';
import { uniqueEmail } from './support/auth-client';
import type { AuthContext } from './support/auth-context';
import type { TestTenant } from './support/dp-system';
import { firstPartyWebApp, type RegisteredClient } from './support/fake-clients';
import { openSignIn, pressProviderButton } from './support/federated-round-trip';
import { startGitHubStandIn, type GitHubStandIn } from './support/github-stand-in';
import { cookieBrowser } from './support/upstream-op';

/** What the user import suite lends these tests: its system, its owner token, its import. */
export interface ImportHarness {
  ctx: AuthContext;
  owner(): string;
  importInto(
    tenant: TestTenant,
    body: string,
  ): Promise<{
    status: string;
    imported: number;
    updated: number;
    failed: number;
    errors: Array<{ line: number; reason: string }>;
    ignored_fields: Record<string, number>;
    warnings: unknown[];
  }>;
  /** `GET /v1/admin/users/export`, its JSON Lines as text in `body`. */
  exportFrom(tenant: TestTenant, token: string, hashes: boolean): Test;
}

const APP = 'https://app.example.com/cb';

const lines = (items: readonly unknown[]): string =>
  items.map((item) => JSON.stringify(item)).join('\n');

/**
 * `identities` of an import line become federated links (`user_identities`), so an imported user
 * signs in through the identity provider by (provider id, upstream `sub`): here the GitHub preset
 * against a local stand-in whose address differs from the user's, so only the link can find them.
 */
export function importedIdentityTests(h: ImportHarness): void {
  describe('identities', () => {
    let github: GitHubStandIn;
    let web: RegisteredClient;
    const githubId = randomUUID();
    const githubUser = randomInt(1e6, 1e9);
    const githubEmail = `octo-${randomUUID()}@upstream.test`;
    const imported = uniqueEmail('linked');
    const identity = {
      provider: githubId,
      subject: String(githubUser),
      email: githubEmail,
      // What a source adds (Auth0) is accepted and left alone.
      connection: 'github',
    };

    /** The GitHub preset against the stand-in, under the id a tenant gave it. */
    const githubProvider = (id: string) => ({
      id,
      type: 'github' as const,
      name: 'GitHub',
      enabled: true,
      issuer: null,
      client_id: 'gh-import',
      client_secret: 'gh-import-secret',
      scopes: ['read:user', 'user:email'],
      attribute_mapping: { email: 'email', name: 'name', picture: 'picture' },
      icon_url: null,
      button_label: null,
      store_upstream_tokens: false,
      apple: null,
      endpoints: {
        authorization: `${github.url}/login/oauth/authorize`,
        token: `${github.url}/login/oauth/access_token`,
        api: github.url,
      },
    });

    beforeAll(async () => {
      github = await startGitHubStandIn({
        clientId: 'gh-import',
        clientSecret: 'gh-import-secret',
        user: { id: githubUser, login: 'octo', name: 'Octo Cat' },
        emails: [{ email: githubEmail, primary: true, verified: true }],
      });
      web = await h.ctx.system.clients.register(h.ctx.main.id, firstPartyWebApp(APP));
      await h.ctx.system.identityProviders.set(h.ctx.main.id, [githubProvider(githubId)]);
    });
    afterAll(async () => {
      // Unset when beforeAll failed before starting it.
      await (github as GitHubStandIn | undefined)?.close();
    });

    it('links them idempotently and refuses an upstream account another user holds', async () => {
      const db = h.ctx.db(h.ctx.main);
      const file = lines([{ email: imported, name: 'Linked', identities: [identity] }]);
      const first = await h.importInto(h.ctx.main, file);
      expect(first).toMatchObject({ status: 'succeeded', imported: 1, failed: 0, warnings: [] });
      expect(first.ignored_fields).toEqual({});
      const user = await db.users.findByEmailNormalized(imported);
      const link = await db.userIdentities.find(githubId, String(githubUser));
      expect(link).toMatchObject({ userId: user?.id, email: githubEmail, lastUsedAt: null });

      const again = await h.importInto(h.ctx.main, file);
      expect(again).toMatchObject({ status: 'succeeded', imported: 0, updated: 1, failed: 0 });
      expect(await db.userIdentities.listByUser(String(user?.id))).toHaveLength(1);

      // The same upstream account for someone else: refused before that user is written.
      const thief = uniqueEmail('thief');
      const stolen = await h.importInto(
        h.ctx.main,
        lines([{ email: thief, identities: [{ provider: githubId, sub: String(githubUser) }] }]),
      );
      expect(stolen).toMatchObject({ status: 'succeeded', imported: 0, failed: 1 });
      expect(stolen.errors).toEqual([
        {
          line: 1,
          reason: 'identities.0: this upstream account is already linked to another user',
        },
      ]);
      expect(await db.users.findByEmailNormalized(thief)).toBeUndefined();
      expect((await db.userIdentities.find(githubId, String(githubUser)))?.userId).toBe(user?.id);
    });

    it('refuses a provider named instead of its id, an unknown id, a missing sub and a link listed twice', async () => {
      const sub = 'abc';
      const stranger = randomUUID();
      const job = await h.importInto(
        h.ctx.main,
        lines([
          { email: uniqueEmail('x'), identities: [{ provider: 'google-oauth2', sub }] },
          { email: uniqueEmail('x'), identities: [{ provider: githubId }] },
          {
            email: uniqueEmail('x'),
            identities: [
              { provider: githubId, sub },
              { provider: githubId.toUpperCase(), subject: sub },
            ],
          },
          { email: uniqueEmail('x'), identities: [{ provider: githubId, subject: 'a', sub: 'b' }] },
          {
            email: uniqueEmail('x'),
            identities: [
              { provider: githubId, sub },
              { provider: stranger, sub },
            ],
          },
        ]),
      );
      expect(job).toMatchObject({ imported: 0, failed: 5 });
      expect(job.errors.map((e) => e.reason)).toEqual([
        "identities.0.provider: must be the id of one of the tenant's identity providers (a UUID), not its name",
        'identities.0.subject: needs the upstream account id (`subject` or `sub`)',
        'identities.1: the same upstream account is listed twice',
        'identities.0.sub: `subject` and `sub` differ',
        `identities.1.provider: the tenant has no identity provider "${stranger}"`,
      ]);
    });

    it('signs the imported user in through the provider by (provider, sub), not by email', async () => {
      const db = h.ctx.db(h.ctx.main);
      const user = await db.users.findByEmailNormalized(imported);
      if (!user) throw new Error('the first test imports the user');
      const browser = cookieBrowser();
      const client = {
        dpUrl: new URL(h.ctx.main.issuer).origin,
        tenantSlug: h.ctx.main.slug,
        clientId: web.client_id,
        redirectUri: APP,
      };
      const { tx, verifier } = await openSignIn(browser, client);
      const authorize = await pressProviderButton(browser, client, githubId, tx, github.url);
      const upstream = await browser.get(authorize.href);
      expect(upstream.status).toBe(302);
      const back = await browser.get(browser.location(upstream, github.url));
      expect(back.status).toBe(303);
      const location = new URL(browser.location(back, client.dpUrl));
      expect(`${location.origin}${location.pathname}`).toBe(APP);
      const tokens = await request(h.ctx.system.dp.url)
        .post(`/t/${h.ctx.main.slug}/oauth2/token`)
        .auth(web.client_id, String(web.client_secret))
        .type('form')
        .send({
          grant_type: 'authorization_code',
          code: String(location.searchParams.get('code')),
          redirect_uri: APP,
          code_verifier: verifier,
        })
        .expect(200);
      const claims = decodeJwt((tokens.body as { id_token: string }).id_token);
      expect(claims).toMatchObject({ sub: user.id, amr: ['fed'] });
      // No account was made for the upstream address; the link records its use.
      expect(await db.users.findByEmailNormalized(githubEmail)).toBeUndefined();
      const link = await db.userIdentities.find(githubId, String(githubUser));
      expect(link?.lastUsedAt).toEqual(expect.any(Date));
    });

    it('exports them, and the export imports them into another tenant', async () => {
      const unlinked = uniqueEmail('unlinked');
      await h.importInto(h.ctx.main, lines([{ email: unlinked }]));
      const res = await h.exportFrom(h.ctx.main, h.owner(), false).expect(200);
      const exported = String(res.body)
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { email: string; identities: unknown[] });
      const mine = exported.filter((u) => u.email === imported);
      expect(mine.map((u) => u.identities)).toEqual([
        [{ provider: githubId, subject: String(githubUser), email: githubEmail }],
      ]);
      expect(exported.find((u) => u.email === unlinked)?.identities).toEqual([]);

      // The target tenant's provider has its own id: unmapped, the line is refused, not stored.
      const theirs = randomUUID();
      await h.ctx.system.identityProviders.set(h.ctx.other.id, [githubProvider(theirs)]);
      const unmapped = await h.importInto(h.ctx.other, lines(mine));
      expect(unmapped).toMatchObject({ imported: 0, failed: 1 });
      expect(unmapped.errors[0]?.reason).toBe(
        `identities.0.provider: the tenant has no identity provider "${githubId}"`,
      );
      const mapped = mine.map((u) => ({
        ...u,
        identities: u.identities.map((link) => ({ ...(link as object), provider: theirs })),
      }));
      const job = await h.importInto(h.ctx.other, lines(mapped));
      expect(job).toMatchObject({ status: 'succeeded', imported: 1, failed: 0 });
      const into = h.ctx.db(h.ctx.other);
      const there = await into.users.findByEmailNormalized(imported);
      expect(await into.userIdentities.find(theirs, String(githubUser))).toMatchObject({
        userId: there?.id,
        email: githubEmail,
      });
    });
  });
}
