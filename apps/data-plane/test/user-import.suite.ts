import { randomInt, randomUUID } from 'node:crypto';
import type { TenantDb } from '@hellojohn/dal';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { useAuthContext } from './support/auth-context';
import { PASSWORD, uniqueEmail } from './support/auth-client';
import type { DpSystem, TestTenant } from './support/dp-system';
import { importedIdentityTests } from './user-import-identities.suite';

interface ImportJob {
  job_id: string;
  status: string;
  total: number;
  imported: number;
  updated: number;
  failed: number;
  errors: Array<{ line: number; reason: string }>;
  ignored_fields: Record<string, number>;
  warnings: Array<{ field: string; lines: number; reason: string }>;
  failure_reason: string | null;
}

/** The code an authenticator app shows for `secret` now (RFC 6238: SHA-1, 6 digits, 30 s). */
function totpCode(secret: string): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6 });
  return totp.generate();
}

/** A tenant-wide role and an organization (with an owner) that imports may name. */
async function seedAccess(db: TenantDb, slug: string): Promise<{ orgId: string }> {
  if (!(await db.roles.findByKey(null, 'editor'))) {
    await db.roles.insert({
      id: randomUUID(),
      organizationId: null,
      key: 'editor',
      name: 'Editor',
      permissions: ['posts:write'],
    });
  }
  const orgId = randomUUID();
  await db.organizations.create({ id: orgId, slug, name: `Org ${slug}` });
  return { orgId };
}

const hex = (value: string): string =>
  Buffer.from(value.replace(/\s/g, ''), 'hex').toString('base64');

/**
 * Each scheme with a password and a hash from a published test vector (the same vectors as the
 * unit tests: RFC 6070, RFC 7914, Firebase's sample, crypt_blowfish, passlib/OpenSSL, FIPS 180).
 */
function vectors(): Array<{ password: string; hash: Record<string, unknown> }> {
  const list: Array<{ password: string; hash: Record<string, unknown> }> = [
    {
      password: 'U*U',
      hash: {
        algorithm: 'bcrypt',
        hash: '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW',
      },
    },
    {
      password: 'U*U*',
      hash: {
        algorithm: 'bcrypt',
        hash: '$2y$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK',
      },
    },
    {
      password: 'password',
      hash: {
        algorithm: 'pbkdf2-sha1',
        hash: '4b007901b765489abead49d926f721d065a429c1',
        salt: 'salt',
        params: { iterations: 4096, hash_encoding: 'hex', salt_encoding: 'utf8' },
      },
    },
    {
      password: 'passwd',
      hash: {
        algorithm: 'pbkdf2-sha256',
        hash: hex(`55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc
          49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783`),
        salt: 'c2FsdA==',
        params: { iterations: 1 },
      },
    },
    {
      password: 'password',
      hash: {
        algorithm: 'pbkdf2-sha512',
        hash: hex(`867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252
          c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce`),
        salt: 'salt',
        params: { iterations: 1, salt_encoding: 'utf8' },
      },
    },
    {
      password: 'password',
      hash: {
        algorithm: 'scrypt',
        hash: hex(`fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162
          2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640`),
        salt: 'NaCl',
        params: { n: 1024, r: 8, p: 16, salt_encoding: 'utf8' },
      },
    },
    {
      password: 'user1password',
      hash: {
        algorithm: 'firebase-scrypt',
        hash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
        salt: '42xEC+ixf3L2lw==',
        params: {
          signer_key:
            'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
          salt_separator: 'Bw==',
          rounds: 8,
          mem_cost: 14,
        },
      },
    },
    {
      password: 'ab',
      hash: {
        algorithm: 'sha256-salted',
        hash: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
        salt: 'c',
        params: { hash_encoding: 'hex', salt_encoding: 'utf8' },
      },
    },
    {
      password: 'bc',
      hash: {
        algorithm: 'sha512-salted',
        hash: hex(`ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a
          2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f`),
        salt: 'YQ==',
        params: { order: 'salt_password' },
      },
    },
    {
      password: 'password',
      hash: { algorithm: 'md5-crypt', hash: '$1$3azHgidD$SrJPt7B.9rekpmwJwtON31' },
    },
  ];
  // The argon2 reference implementation's test.c vectors.
  list.push(
    {
      password: 'password',
      hash: {
        algorithm: 'argon2id',
        hash: '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc',
      },
    },
    {
      password: 'password',
      hash: {
        algorithm: 'argon2i',
        hash: '$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA',
      },
    },
  );
  return list;
}

const lines = (items: readonly unknown[]): string =>
  items.map((item) => JSON.stringify(item)).join('\n');

/**
 * Bulk user import and export over HTTP (docs/migration.md): every hash scheme signs in through
 * `/v1/auth/sign-in` and is rehashed to the tenant's bcrypt, re-imports update instead of
 * duplicating, bad lines are reported by number, a job left behind by a dead process resumes,
 * and an export imports into another tenant whose users sign in with the same passwords.
 */
export function userImportSuite(name: string, start: () => Promise<DpSystem>): void {
  describe(name, () => {
    const ctx = useAuthContext(start);
    let owner: string;
    beforeAll(async () => {
      owner = await ctx.system.cpAdminToken('owner');
    });

    const ip = (): string => `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    const upload = (
      tenant: TestTenant,
      body: string,
      type = 'application/x-ndjson',
      token = owner,
    ) =>
      request(ctx.system.dp.url)
        .post(`/t/${tenant.slug}/v1/admin/users/import`)
        .set('X-Forwarded-For', ip())
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', type)
        .send(body);
    const status = (tenant: TestTenant, jobId: string) =>
      request(ctx.system.dp.url)
        .get(`/t/${tenant.slug}/v1/admin/users/import/${jobId}`)
        .set('Authorization', `Bearer ${owner}`);
    /** Polls the job until it ends (the test's own timeout bounds the wait). */
    async function finished(tenant: TestTenant, jobId: string): Promise<ImportJob> {
      for (;;) {
        const res = await status(tenant, jobId).expect(200);
        const job = res.body as ImportJob;
        if (job.status === 'succeeded' || job.status === 'failed') return job;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
    async function importInto(tenant: TestTenant, body: string, type?: string): Promise<ImportJob> {
      const res = await upload(tenant, body, type).expect(202);
      return finished(tenant, (res.body as { job_id: string }).job_id);
    }
    /** `GET /v1/admin/users/export`, its JSON Lines as text in `body`. */
    const exportFrom = (tenant: TestTenant, token: string, hashes: boolean) =>
      request(ctx.system.dp.url)
        .get(
          `/t/${tenant.slug}/v1/admin/users/export${hashes ? '?include_password_hashes=true' : ''}`,
        )
        .set('Authorization', `Bearer ${token}`)
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          res.on('end', () => {
            done(null, text);
          });
        });
    const signIn = (tenant: TestTenant, email: string, password: string) =>
      request(ctx.system.dp.url)
        .post(`/t/${tenant.slug}/v1/auth/sign-in`)
        .set('X-Forwarded-For', ip())
        .send({ email, password });
    const userId = async (tenant: TestTenant, email: string): Promise<string> => {
      const user = await ctx.db(tenant).users.findByEmailNormalized(email.toLowerCase());
      if (!user) throw new Error(`no user ${email}`);
      return user.id;
    };

    it('signs in users with every imported scheme, then rehashes them to bcrypt', async () => {
      const users = vectors().map((v) => ({
        ...v,
        email: uniqueEmail(String(v.hash['algorithm'])),
      }));
      const job = await importInto(
        ctx.main,
        lines(users.map((u) => ({ email: u.email, name: 'Imported', password_hash: u.hash }))),
      );
      expect(job).toMatchObject({ status: 'succeeded', total: users.length, failed: 0 });
      expect(job.imported).toBe(users.length);
      // Never a hash in what the job answers.
      expect(JSON.stringify(job)).not.toContain('$2a$');
      const db = ctx.db(ctx.main);
      for (const user of users) {
        const id = await userId(ctx.main, user.email);
        expect(await db.importedPasswords.find(id)).toMatchObject({
          algorithm: user.hash['algorithm'],
        });
        const wrong = await signIn(ctx.main, user.email, `${user.password}x`).expect(401);
        expect(wrong.body.code).toBe('invalid_credentials');
        const ok = await signIn(ctx.main, user.email, user.password);
        expect({ algorithm: user.hash['algorithm'], status: ok.status }).toEqual({
          algorithm: user.hash['algorithm'],
          status: 200,
        });
        expect(ok.body.access_token).toEqual(expect.any(String));
        // Rehashed: the imported hash is gone, the tenant's own bcrypt took its place.
        expect(await db.importedPasswords.find(id)).toBeUndefined();
        expect(await db.credentials.getPasswordHash(id)).toMatch(/^\$2b\$04\$/);
        await signIn(ctx.main, user.email, user.password).expect(200);
        await signIn(ctx.main, user.email, `${user.password}x`).expect(401);
      }
      const log = await db.auditLog.list({ limit: 100 });
      expect(log.rows.map((r) => r.action)).toEqual(
        expect.arrayContaining([
          'user_import.started',
          'user_import.finished',
          'user.password_rehashed',
        ]),
      );
    });

    it('updates on a second run of the same file, never duplicating', async () => {
      const emails = [uniqueEmail('again'), uniqueEmail('again'), uniqueEmail('again')];
      const file = lines(
        emails.map((email, i) => ({
          email,
          name: `User ${i}`,
          email_verified: true,
          metadata: { plan: 'pro' },
          created_at: '2020-01-02T03:04:05Z',
          password_hash: vectors()[0]?.hash,
        })),
      );
      const before = await ctx.db(ctx.main).users.count();
      const first = await importInto(ctx.main, file);
      expect(first).toMatchObject({ status: 'succeeded', imported: 3, updated: 0, failed: 0 });
      const second = await importInto(ctx.main, file.replace(/"pro"/g, '"team"'));
      expect(second).toMatchObject({ status: 'succeeded', imported: 0, updated: 3, failed: 0 });
      expect(await ctx.db(ctx.main).users.count()).toBe(before + 3);
      const user = await ctx.db(ctx.main).users.findByEmailNormalized(emails[0] ?? '');
      expect(user).toMatchObject({
        name: 'User 0',
        emailVerified: true,
        metadata: { plan: 'team' },
      });
      expect(user?.createdAt.toISOString()).toBe('2020-01-02T03:04:05.000Z');
    });

    it('reports bad lines by number with a reason, and imports the rest', async () => {
      const good = uniqueEmail('good');
      const body = [
        JSON.stringify({ email: good }),
        '{"email": ',
        '',
        JSON.stringify({ email: 'not-an-email' }),
        JSON.stringify({ email: uniqueEmail('x'), favourite_colour: 'blue' }),
        JSON.stringify({
          email: uniqueEmail('x'),
          password_hash: { algorithm: 'bcrypt', hash: 'secret-ish' },
        }),
        JSON.stringify({
          email: uniqueEmail('x'),
          password_hash: { algorithm: 'rot13', hash: 'x' },
        }),
        JSON.stringify([1, 2]),
        JSON.stringify({ email: uniqueEmail('x'), identities: [{ provider: 'google' }] }),
      ].join('\r\n');
      const job = await importInto(ctx.main, body, 'application/jsonl');
      expect(job).toMatchObject({ status: 'succeeded', total: 8, imported: 1, failed: 7 });
      expect(job.errors.map((e) => e.line)).toEqual([2, 4, 5, 6, 7, 8, 9]);
      expect(job.errors[0]?.reason).toBe('not valid JSON');
      expect(job.errors[1]?.reason).toMatch(/^email: /);
      expect(job.errors[2]?.reason).toBe('favourite_colour: unknown field');
      expect(job.errors[3]?.reason).toBe(
        'password_hash.hash: must be a $2a$, $2b$ or $2y$ bcrypt hash',
      );
      expect(job.errors[4]?.reason).toMatch(/^password_hash\.algorithm: /);
      expect(job.errors[5]?.reason).toBe('must be a JSON object');
      // An identity names its provider by id (user-import-identities.suite.ts).
      expect(job.errors[6]?.reason).toMatch(/^identities\.0\.provider: /);
      expect(JSON.stringify(job)).not.toContain('secret-ish');
      expect(job.ignored_fields).toEqual({});
      expect(job.warnings).toEqual([]);
    });

    it('grants roles, memberships and a confirmed TOTP authenticator, idempotently', async () => {
      const db = ctx.db(ctx.main);
      const slug = `acme-${randomInt(1e9)}`;
      const { orgId } = await seedAccess(db, slug);
      const email = uniqueEmail('granted');
      const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
      const pbkdf2 = vectors().find((v) => v.hash['algorithm'] === 'pbkdf2-sha1');
      if (!pbkdf2) throw new Error('no pbkdf2 vector');
      const granted = {
        email,
        password_hash: pbkdf2.hash,
        roles: ['editor', 'editor'],
        organizations: [{ slug, role: 'member' }],
        mfa: { totp: { secret: secret.toLowerCase(), name: 'Old phone' } },
      };
      const file = lines([
        granted,
        { email: uniqueEmail('x'), roles: ['editor', 'ghost-role'] },
        { email: uniqueEmail('x'), organizations: [{ slug: 'no-such-org', role: 'member' }] },
        { email: uniqueEmail('x'), organizations: [{ id: orgId, role: 'no-such-role' }] },
        { email: uniqueEmail('x'), mfa: { totp: { secret: 'not base32!' } } },
      ]);
      const first = await importInto(ctx.main, file);
      expect(first).toMatchObject({ status: 'succeeded', total: 5, imported: 1, failed: 4 });
      expect(first.errors).toEqual([
        { line: 2, reason: 'roles.1: unknown role "ghost-role"' },
        { line: 3, reason: 'organizations.0: unknown organization "no-such-org"' },
        {
          line: 4,
          reason: `organizations.0.role: no role "no-such-role" in organization "${orgId}"`,
        },
        { line: 5, reason: expect.stringMatching(/^mfa\.totp\.secret: /) },
      ]);
      expect(JSON.stringify(first)).not.toContain(secret);

      const id = await userId(ctx.main, email);
      const state = async () => ({
        roles: (await db.userRoles.listForUser(id)).map((r) => r.key),
        membership: (await db.memberships.find(orgId, id))?.role,
        factors: (await db.mfaFactors.listByUser(id)).map((f) => ({
          type: f.type,
          name: f.name,
          confirmed: f.confirmedAt !== null,
          sealed: f.secretEncrypted !== null && !f.secretEncrypted.includes(secret),
        })),
      });
      const expected = {
        roles: ['editor'],
        membership: 'member',
        factors: [{ type: 'totp', name: 'Old phone', confirmed: true, sealed: true }],
      };
      expect(await state()).toEqual(expected);

      // The authenticator works: the password, then a code from the imported secret.
      const signedIn = await signIn(ctx.main, email, pbkdf2.password).expect(200);
      expect(signedIn.body).toMatchObject({ mfa_required: true });
      await request(ctx.system.dp.url)
        .post(`/t/${ctx.main.slug}/v1/auth/mfa/verify`)
        .set('X-Forwarded-For', ip())
        .send({ mfa_token: signedIn.body.mfa_token, factor: 'totp', code: totpCode(secret) })
        .expect(200);

      // The same file again: nothing more (no second role row, membership or authenticator).
      const again = await importInto(ctx.main, file);
      expect(again).toMatchObject({ status: 'succeeded', imported: 0, updated: 1, failed: 4 });
      expect(await state()).toEqual(expected);
      // The file wins for a membership's role; roles it does not name are kept.
      const promoted = await importInto(
        ctx.main,
        lines([{ email, organizations: [{ slug, role: 'admin' }] }]),
      );
      expect(promoted).toMatchObject({ status: 'succeeded', updated: 1, failed: 0 });
      expect(await state()).toEqual({ ...expected, membership: 'admin' });
      // Made the organization's only owner, the user stays its owner: the line says why.
      await importInto(ctx.main, lines([{ email, organizations: [{ slug, role: 'owner' }] }]));
      const demoted = await importInto(
        ctx.main,
        lines([{ email, organizations: [{ slug, role: 'member' }] }]),
      );
      expect(demoted).toMatchObject({ status: 'succeeded', updated: 1, failed: 1 });
      expect(demoted.errors).toEqual([
        { line: 1, reason: `organizations.0.role: the last owner of "${slug}" stays its owner` },
      ]);
      expect(await state()).toEqual({ ...expected, membership: 'owner' });
    });

    it('takes a JSON array, and refuses what is not an import', async () => {
      const emails = [uniqueEmail('arr'), uniqueEmail('arr')];
      const job = await importInto(
        ctx.main,
        JSON.stringify(emails.map((email) => ({ email, name: 'A, "quoted" [name]' }))),
        'application/json',
      );
      expect(job).toMatchObject({ status: 'succeeded', total: 2, imported: 2, failed: 0 });
      const bad = await upload(ctx.main, '{"email": "a@example.com"}', 'application/json').expect(
        400,
      );
      expect(bad.body.code).toBe('malformed_json');
      const empty = await upload(ctx.main, '\n\n').expect(400);
      expect(empty.body.code).toBe('validation_failed');
      // A body that is not what its Content-Encoding says: the client's fault, named.
      const broken = await upload(ctx.main, '{"email": "a@example.com"}')
        .set('Content-Encoding', 'deflate')
        .expect(400);
      expect(broken.body.errors).toEqual([
        { path: 'body', message: 'is not valid data for its Content-Encoding' },
      ]);
      const wrongType = await upload(ctx.main, 'email=a', 'text/plain').expect(415);
      expect(wrongType.body.code).toBe('unsupported_media_type');
      await request(ctx.system.dp.url)
        .post(`/t/${ctx.main.slug}/v1/admin/users/import`)
        .set('Content-Type', 'application/x-ndjson')
        .send('{}')
        .expect(401);
      const viewer = await ctx.system.cpAdminToken('viewer');
      await upload(ctx.main, '{}', 'application/x-ndjson', viewer).expect(403);
      await status(ctx.main, randomUUID()).expect(404);
    });

    it('resumes a job whose process died, from its first uncommitted line', async () => {
      const db = ctx.db(ctx.main);
      const jobId = randomUUID();
      const emails = [uniqueEmail('resumed'), uniqueEmail('resumed')];
      await db.userImports.create({
        id: jobId,
        createdBy: 'cp-admin:test',
        leaseUntil: new Date(),
      });
      await db.userImports.appendReceived(jobId, {
        lines: emails.map((email, i) => ({
          line: i + 1,
          payload: JSON.stringify({ email, emailNormalized: email }),
        })),
        read: 2,
        errors: [],
        ignored: {},
        leaseUntil: new Date(),
      });
      await db.userImports.markQueued(jobId);
      // A runner took it, then its process died: the lease is in the past.
      expect(await db.userImports.claim(jobId, new Date(), new Date(Date.now() - 1000))).toBe(true);
      const job = await finished(ctx.main, jobId);
      expect(job).toMatchObject({ status: 'succeeded', imported: 2, failed: 0 });
      for (const email of emails) await userId(ctx.main, email);

      // An upload cut off with its process: failed, with the reason, and nothing imported.
      const cut = randomUUID();
      await db.userImports.create({ id: cut, createdBy: 'cp-admin:test', leaseUntil: new Date(0) });
      const failed = await finished(ctx.main, cut);
      expect(failed.status).toBe('failed');
      expect(failed.failure_reason).toMatch(/interrupted/);
    });

    it('round-trips roles, memberships, TOTP and passwords through export into another tenant', async () => {
      const slug = `round-${randomInt(1e9)}`;
      const from = ctx.db(ctx.main);
      const { orgId } = await seedAccess(from, slug);
      const into = ctx.db(ctx.other);
      const { orgId: otherOrgId } = await seedAccess(into, slug);
      const secret = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
      // A user of the tenant's own (bcrypt), given a role and a membership by hand...
      const native = await ctx.api.newUser('rt-native');
      const editor = await from.roles.findByKey(null, 'editor');
      if (!editor) throw new Error('no editor role');
      await from.userRoles.assign(native.id, editor.id);
      await from.memberships.add({
        id: randomUUID(),
        organizationId: orgId,
        userId: native.id,
        role: 'owner',
      });
      // ...and one imported with a legacy hash and an authenticator.
      const legacy = uniqueEmail('rt-legacy');
      const md5 = vectors().find((v) => v.hash['algorithm'] === 'md5-crypt');
      if (!md5) throw new Error('no md5-crypt vector');
      await importInto(
        ctx.main,
        lines([
          {
            email: legacy,
            password_hash: md5.hash,
            organizations: [{ slug, role: 'member' }],
            mfa: { totp: { secret } },
          },
        ]),
      );

      const exported = await exportFrom(ctx.main, owner, true).expect(200);
      const mine = String(exported.body)
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { email: string; mfa?: unknown })
        .filter((u) => u.email === native.email || u.email === legacy);
      expect(mine.find((u) => u.email === legacy)?.mfa).toEqual({
        totp: { secret, name: 'Authenticator app' },
      });

      const job = await importInto(ctx.other, lines(mine));
      expect(job).toMatchObject({ status: 'succeeded', imported: 2, failed: 0 });
      const nativeThere = await userId(ctx.other, native.email);
      const legacyThere = await userId(ctx.other, legacy);
      expect((await into.userRoles.listForUser(nativeThere)).map((r) => r.key)).toEqual(['editor']);
      expect((await into.memberships.find(otherOrgId, nativeThere))?.role).toBe('owner');
      expect((await into.memberships.find(otherOrgId, legacyThere))?.role).toBe('member');
      expect(await into.mfaFactors.listByUser(legacyThere, { confirmedOnly: true })).toHaveLength(
        1,
      );

      await signIn(ctx.other, native.email, PASSWORD).expect(200);
      const step = await signIn(ctx.other, legacy, md5.password).expect(200);
      expect(step.body).toMatchObject({ mfa_required: true });
      await request(ctx.system.dp.url)
        .post(`/t/${ctx.other.slug}/v1/auth/mfa/verify`)
        .set('X-Forwarded-For', ip())
        .send({ mfa_token: step.body.mfa_token, factor: 'totp', code: totpCode(secret) })
        .expect(200);
    });

    it('exports users (hashes for owners only) that import into another tenant and sign in', async () => {
      const native = await ctx.api.newUser('native');
      const imported = uniqueEmail('legacy');
      const legacy = vectors().find((v) => v.hash['algorithm'] === 'firebase-scrypt');
      if (!legacy) throw new Error('no firebase vector');
      await importInto(ctx.main, lines([{ email: imported, password_hash: legacy.hash }]));

      const downloads = async (): Promise<number> =>
        (await ctx.db(ctx.main).auditLog.list({ limit: 100, action: 'user_export.downloaded' }))
          .rows.length;
      const downloadsBefore = await downloads();
      const admin = await ctx.system.cpAdminToken('admin');
      const refused = await exportFrom(ctx.main, admin, true).expect(403);
      expect(JSON.parse(String(refused.body)).code).toBe('insufficient_role');
      const plain = await exportFrom(ctx.main, admin, false).expect(200);
      expect(plain.headers['content-type']).toMatch(/^application\/x-ndjson/);
      expect(String(plain.body)).not.toContain('password_hash');

      const full = await exportFrom(ctx.main, owner, true).expect(200);
      const exported = String(full.body)
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { email: string; password_hash?: { algorithm: string } });
      expect(exported.length).toBe(await ctx.db(ctx.main).users.count());
      const mine = exported.filter((u) => u.email === native.email || u.email === imported);
      expect(mine.map((u) => u.password_hash?.algorithm).sort()).toEqual([
        'bcrypt',
        'firebase-scrypt',
      ]);

      const job = await importInto(ctx.other, lines(mine));
      expect(job).toMatchObject({ status: 'succeeded', imported: 2, failed: 0 });
      await signIn(ctx.other, native.email, PASSWORD).expect(200);
      await signIn(ctx.other, imported, legacy.password).expect(200);
      await signIn(ctx.other, native.email, `${PASSWORD}x`).expect(401);
      expect(await downloads()).toBe(downloadsBefore + 2);
    });

    importedIdentityTests({ ctx, owner: () => owner, importInto, exportFrom });
  });
}
