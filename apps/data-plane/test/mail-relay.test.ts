import { randomBytes, randomUUID } from 'node:crypto';
import { freePort } from '@hellojohn/testing';
import { createLogger } from '@hellojohn/http';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createMailModule, type MailModule } from '../src/mail';
import { createControlPlaneClient } from '../src/tenancy/control-plane-client';
import { policyOf } from '../src/tenancy/tenant-config';
import { connectionInfoOf, type TenantContext } from '../src/tenancy/tenant-context';
import { startDpSystem, type DpSystem } from './support/dp-system';
import { startSmtpTestServer, type SmtpTestServer } from './support/smtp-test-server';

const DAY = 24 * 3600_000;
const INTERNAL_TOKEN = 'dp-test-internal-token-0123456789abcdef';
const LINK = 'https://id.example.com/t/acme/login/reset?token=Zm9v_YmFy-YmF6&tx=1';

/** Decodes the entities Handlebars writes (`&amp;`, `&#x3D;` ...), to compare with the link. */
function unescapeHtml(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

async function contextOf(system: DpSystem, tenantId: string): Promise<TenantContext> {
  const { deps } = system.dp;
  const config = await deps.directory.resolve(tenantId);
  if (!config) throw new Error(`no tenant ${tenantId}`);
  return {
    config,
    policy: policyOf(config, {
      accessTokenTtlSeconds: deps.config.accessTokenTtlSeconds,
      bcryptCost: deps.config.bcryptCost,
    }),
    db: deps.pools.get(connectionInfoOf(config)),
  };
}

/** A mail module of the test's own on the system's databases, with a clock the test moves. */
function mailModuleOf(
  system: DpSystem,
  options: {
    smtpUrl?: string;
    clock?: { now: Date };
    logLines?: string[];
    registry?: Registry;
  } = {},
): MailModule {
  const { deps } = system.dp;
  const logger = createLogger({
    name: 'mail-test',
    level: options.logLines ? 'info' : 'silent',
    destination: { write: (line) => options.logLines?.push(line) },
  });
  return createMailModule({
    config: { ...deps.config, smtpUrl: options.smtpUrl },
    logger,
    client: createControlPlaneClient({ cpUrl: system.cpUrl, internalToken: INTERNAL_TOKEN }),
    directory: deps.directory,
    pools: deps.pools,
    defaults: { accessTokenTtlSeconds: 900, bcryptCost: 4 },
    registry: options.registry,
    now: options.clock ? () => options.clock?.now ?? new Date() : undefined,
  });
}

describe('mail relay over SMTP', () => {
  let smtp: SmtpTestServer;
  let system: DpSystem;
  const modules: MailModule[] = [];

  beforeAll(async () => {
    smtp = await startSmtpTestServer(await freePort());
    system = await startDpSystem({ HJ_SMTP_URL: smtp.url, HJ_MAIL_FROM: 'no-reply@mail.test' });
  }, 60_000);

  afterAll(async () => {
    for (const module of modules) await module.stop();
    await system.close();
    await smtp.close();
  });

  beforeEach(() => {
    smtp.received.length = 0;
  });

  it('delivers a queued mail with its From, To, subject, text and HTML, in English and Spanish', async () => {
    const tenant = await system.createTenant('mail-en', {
      branding: { display_name: '<script>alert(1)</script> Acme', primary_color: '#ff0000' },
    });
    const ctx = await contextOf(system, tenant.id);
    const mail = system.dp.deps.mail;

    const { id } = await mail.sendMail(ctx.db, ctx, {
      kind: 'password_reset',
      to: 'ana@example.com',
      locale: 'en',
      variables: { link: LINK },
    });
    await mail.drainNow(ctx);
    await mail.sendMail(ctx.db, ctx, {
      kind: 'email_otp',
      to: 'ana@example.com',
      locale: 'es-AR',
      variables: { code: '042917' },
    });
    await mail.drainNow(ctx);

    expect(smtp.received).toHaveLength(2);
    const [en, es] = smtp.received;
    expect(en?.envelopeFrom).toBe('no-reply@mail.test');
    expect(en?.envelopeTo).toEqual(['ana@example.com']);
    expect(en?.from).toContain('<no-reply@mail.test>');
    expect(en?.from).toContain('Acme');
    expect(en?.to).toBe('ana@example.com');
    expect(en?.messageId).toBe(`<${id}@mail.test>`);
    expect(en?.subject).toBe('Reset your <script>alert(1)</script> Acme password');
    // The link survives both bodies intact (the HTML one entity-encoded, as HTML must be).
    expect(en?.text).toContain(LINK);
    expect(unescapeHtml(en?.html ?? '')).toContain(`href="${LINK}"`);
    // The tenant's name is text in the HTML, never markup; the brand colour is used.
    expect(en?.html).not.toContain('<script>');
    expect(en?.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Acme');
    expect(en?.html).toContain('#ff0000');

    expect(es?.subject).toBe('042917 es tu código de <script>alert(1)</script> Acme');
    expect(es?.text).toContain('Tu código de');
    expect(es?.html).toContain('<html lang="es">');

    // Stored sealed, never in clear; the relay's work is audited.
    const rows = await ctx.db.mailOutbox.listRecent(10);
    expect(rows.map((row) => row.status)).toEqual(['sent', 'sent']);
    expect(rows[0]?.payload).not.toContain('token=');
    const audit = await ctx.db.auditLog.list({ limit: 10, action: 'mail.sent' });
    expect(audit.rows).toHaveLength(2);
    expect(JSON.stringify(audit.rows)).not.toContain('Zm9v');
  });

  it('refuses variables its kind does not take, before queueing', async () => {
    const tenant = await system.createTenant('mail-bad');
    const ctx = await contextOf(system, tenant.id);
    await expect(
      system.dp.deps.mail.sendMail(ctx.db, ctx, {
        kind: 'magic_link',
        to: 'ana@example.com',
        locale: 'en',
        variables: { link: 'javascript:alert(1)' },
      }),
    ).rejects.toThrow();
    expect(await ctx.db.mailOutbox.countPending()).toBe(0);
  });

  it('keeps a mail while SMTP is down, backs off, and delivers it exactly once when it is up', async () => {
    const tenant = await system.createTenant('mail-down');
    const ctx = await contextOf(system, tenant.id);
    const downPort = await freePort();
    const clock = { now: new Date() };
    const mail = mailModuleOf(system, { smtpUrl: `smtp://127.0.0.1:${downPort}`, clock });
    modules.push(mail);

    await mail.sendMail(ctx.db, ctx, {
      kind: 'verify_email',
      to: 'bo@example.com',
      locale: 'en',
      variables: { link: LINK },
    });
    // The outbox stamps rows with the real time; the relay's clock starts just after.
    clock.now = new Date(Date.now() + 1_000);
    await mail.drainNow(ctx);
    let [row] = await ctx.db.mailOutbox.listRecent(1);
    expect(row?.status).toBe('pending');
    expect(row?.attempts).toBe(1);
    expect(row?.lastError).toBeTruthy();
    expect(row?.nextAttemptAt.getTime()).toBe(clock.now.getTime() + 30_000);

    // Not due yet: nothing is tried.
    await mail.drainNow(ctx);
    [row] = await ctx.db.mailOutbox.listRecent(1);
    expect(row?.attempts).toBe(1);

    // Second failure: the wait doubles.
    clock.now = new Date(clock.now.getTime() + 30_000);
    await mail.drainNow(ctx);
    [row] = await ctx.db.mailOutbox.listRecent(1);
    expect(row?.attempts).toBe(2);
    expect(row?.nextAttemptAt.getTime()).toBe(clock.now.getTime() + 60_000);
    const failed = await ctx.db.auditLog.list({ limit: 10, action: 'mail.failed' });
    expect(failed.rows).toHaveLength(2);

    const up = await startSmtpTestServer(downPort);
    try {
      clock.now = new Date(clock.now.getTime() + 60_000);
      await mail.drainNow(ctx);
      await mail.drainNow(ctx);
      expect(up.received).toHaveLength(1);
      expect(up.received[0]?.to).toBe('bo@example.com');
      [row] = await ctx.db.mailOutbox.listRecent(1);
      expect(row?.status).toBe('sent');
    } finally {
      await up.close();
    }
  });

  it('gives a mail up (dead) once it is a day old', async () => {
    const tenant = await system.createTenant('mail-dead');
    const ctx = await contextOf(system, tenant.id);
    const clock = { now: new Date() };
    const mail = mailModuleOf(system, { smtpUrl: `smtp://127.0.0.1:${await freePort()}`, clock });
    modules.push(mail);
    await mail.sendMail(ctx.db, ctx, {
      kind: 'verify_email',
      to: 'cy@example.com',
      locale: 'en',
      variables: { link: LINK },
    });
    clock.now = new Date(Date.now() + 1_000);
    await mail.drainNow(ctx);
    clock.now = new Date(clock.now.getTime() + 24 * 3600_000);
    await mail.drainNow(ctx);
    const [row] = await ctx.db.mailOutbox.listRecent(1);
    expect(row?.status).toBe('dead');
    expect(row?.attempts).toBe(2);
    const dead = await ctx.db.auditLog.list({ limit: 10, action: 'mail.dead' });
    expect(dead.rows).toHaveLength(1);
  });

  it('delivers each mail once when two relays (two replicas) drain the tenant at the same time', async () => {
    const MAILS = 12;
    const tenant = await system.createTenant('mail-race');
    const ctx = await contextOf(system, tenant.id);
    const a = mailModuleOf(system, { smtpUrl: smtp.url });
    const b = mailModuleOf(system, { smtpUrl: smtp.url });
    modules.push(a, b);
    // Queued straight into the outbox, so neither relay has a drain of its own scheduled.
    const queue = mailModuleOf(system, { smtpUrl: smtp.url });
    await queue.stop();
    for (let i = 0; i < MAILS; i += 1) {
      await queue.sendMail(ctx.db, ctx, {
        kind: 'magic_link',
        to: `user${i}@example.com`,
        locale: 'en',
        variables: { link: `${LINK}&n=${i}` },
      });
    }
    const reports = await Promise.all([a.drainNow(ctx), b.drainNow(ctx), a.drainNow(ctx)]);
    await Promise.all([a.drainNow(ctx), b.drainNow(ctx)]);
    const recipients = smtp.received.map((mail) => mail.to).sort();
    expect(recipients).toHaveLength(MAILS);
    expect(new Set(recipients).size).toBe(MAILS);
    expect(reports[0].sent + reports[1].sent).toBe(MAILS);
    expect(await ctx.db.mailOutbox.countPending()).toBe(0);
  }, 30_000);

  it("uses a tenant's own SMTP server (and sender) for that tenant only", async () => {
    const own = await startSmtpTestServer(await freePort(), { user: 'acme', pass: 's3cret!' });
    try {
      const withOverride = await system.createTenant('mail-own', {
        mail: {
          smtp_url: `smtp://acme:${encodeURIComponent('s3cret!')}@127.0.0.1:${own.port}`,
          from: 'Acme Support <support@acme.test>',
        },
      });
      const plain = await system.createTenant('mail-plain');
      const mail = system.dp.deps.mail;
      for (const tenant of [withOverride, plain]) {
        const ctx = await contextOf(system, tenant.id);
        await mail.sendMail(ctx.db, ctx, {
          kind: 'verify_email',
          to: `someone@${tenant.slug}.test`,
          locale: 'en',
          variables: { link: LINK },
        });
        await mail.drainNow(ctx);
      }
      expect(own.received.map((m) => m.to)).toEqual([`someone@${withOverride.slug}.test`]);
      expect(own.received[0]?.user).toBe('acme');
      expect(own.received[0]?.from).toBe('Acme Support <support@acme.test>');
      expect(smtp.received.map((m) => m.to)).toEqual([`someone@${plain.slug}.test`]);
    } finally {
      await own.close();
    }
  });
  it("renders a tenant's own templates for that tenant only, escaped, falling back per part", async () => {
    const templates = {
      password_reset: {
        en: {
          subject: '[{{tenantName}}] new password',
          text: 'Own text for {{tenantName}}: {{link}}',
          html: '<p class="own">Own body for {{tenantName}}</p><a href="{{link}}">Reset</a>',
        },
        // Spanish: the subject only; text and HTML stay built-in.
        es: { subject: 'Contraseña nueva ({{lang}})' },
      },
      invitation: { en: { html: '<p class="own">Join {{organization}} as {{role}}</p>' } },
    };
    const own = await system.createTenant('mail-own', {
      branding: { display_name: '<script>alert(1)</script> Own' },
      mail: { templates },
    });
    const other = await system.createTenant('mail-builtin');
    const ownCtx = await contextOf(system, own.id);
    const otherCtx = await contextOf(system, other.id);
    const mail = system.dp.deps.mail;
    const send = async (ctx: TenantContext, locale: string) => {
      await mail.sendMail(ctx.db, ctx, {
        kind: 'password_reset',
        to: 'ana@example.com',
        locale,
        variables: { link: LINK },
      });
      await mail.drainNow(ctx);
    };
    await send(ownCtx, 'en');
    await send(ownCtx, 'es');
    await mail.sendMail(ownCtx.db, ownCtx, {
      kind: 'invitation',
      to: 'bo@example.com',
      locale: 'en',
      variables: { link: LINK, organization: '<script>steal()</script> R&D', role: 'admin' },
    });
    await mail.drainNow(ownCtx);
    await send(otherCtx, 'en');

    expect(smtp.received).toHaveLength(4);
    const [en, es, invite, builtin] = smtp.received;
    expect(en?.subject).toBe('[<script>alert(1)</script> Own] new password');
    expect(en?.text.trim()).toBe(`Own text for <script>alert(1)</script> Own: ${LINK}`);
    expect(en?.html).toContain(
      '<p class="own">Own body for &lt;script&gt;alert(1)&lt;/script&gt; Own</p>',
    );
    expect(unescapeHtml(en?.html ?? '')).toContain(`<a href="${LINK}">Reset</a>`);
    expect(en?.html).not.toContain('<script>');
    expect(es?.subject).toBe('Contraseña nueva (es)');
    expect(es?.text).toContain('Alguien pidió restablecer la contraseña');
    expect(es?.html).not.toContain('class="own"');
    expect(invite?.html).toContain(
      '<p class="own">Join &lt;script&gt;steal()&lt;/script&gt; R&amp;D as admin</p>',
    );
    expect(invite?.html).not.toContain('<script>');
    expect(invite?.subject).toContain('You are invited to join');
    expect(builtin?.subject).toBe(`Reset your ${other.slug} password`);
    expect(builtin?.text).toContain('Someone asked to reset the password');
    expect(builtin?.html).not.toContain('class="own"');
    const fallbacks = await ownCtx.db.auditLog.list({
      limit: 10,
      action: 'mail.template_fallback',
    });
    expect(fallbacks.rows).toHaveLength(0);
  });

  it('falls back to the built-in part, with a warning and an audit entry, when a stored override fails', async () => {
    const tenant = await system.createTenant('mail-broken');
    const stored = await contextOf(system, tenant.id);
    // As if written by a control plane with other rules: the data plane checks again.
    const ctx: TenantContext = {
      ...stored,
      policy: {
        ...stored.policy,
        mailTemplates: {
          magic_link: { en: { subject: 'Sign in {{{tenantName}}}', text: 'Go: {{link}}' } },
        },
      },
    };
    const logLines: string[] = [];
    const mail = mailModuleOf(system, { smtpUrl: smtp.url, logLines });
    modules.push(mail);
    await mail.sendMail(ctx.db, ctx, {
      kind: 'magic_link',
      to: 'cy@example.com',
      locale: 'en',
      variables: { link: LINK },
    });
    await mail.drainNow(ctx);

    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.subject).toMatch(/^Your sign-in link for /);
    expect(smtp.received[0]?.text.trim()).toBe(`Go: ${LINK}`);
    const audit = await ctx.db.auditLog.list({ limit: 10, action: 'mail.template_fallback' });
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]?.details).toMatchObject({
      kind: 'magic_link',
      locale: 'en',
      part: 'subject',
    });
    expect(logLines.filter((line) => line.includes('tenant mail template failed'))).toHaveLength(1);
  });

  it('prunes sent mail past the retention, dead mail past 30 days and expired tokens', async () => {
    const tenant = await system.createTenant('mail-prune');
    const ctx = await contextOf(system, tenant.id);
    const mail = mailModuleOf(system, { smtpUrl: smtp.url });
    modules.push(mail);
    const queue = (to: string) =>
      mail.sendMail(ctx.db, ctx, {
        kind: 'verify_email',
        to,
        locale: 'en',
        variables: { link: LINK },
      });
    const sent = await queue('sent@example.com');
    await mail.drainNow(ctx);
    const dead = await queue('dead@example.com');
    const pending = await queue('pending@example.com');
    // One dead mail and one waiting for a retry a year away, straight through the outbox.
    await ctx.db.mailOutbox.claimDue(new Date(Date.now() + 60_000), 10, 60_000);
    await ctx.db.mailOutbox.markFailed(dead.id, 'refused', null);
    await ctx.db.mailOutbox.markFailed(pending.id, 'down', new Date(Date.now() + 365 * DAY));

    const user = await ctx.db.users.create({
      id: randomUUID(),
      email: 'tokens@example.com',
      emailNormalized: 'tokens@example.com',
      name: null,
    });
    const token = (expiresAt: Date) =>
      ctx.db.oneTimeTokens.create({
        userId: user.id,
        purpose: 'magic_link',
        secretHash: randomBytes(32).toString('hex'),
        email: user.email,
        maxAttempts: 1,
        expiresAt,
      });
    await token(new Date(Date.now() - 1_000));
    const live = await token(new Date(Date.now() + 3600_000));
    const spent = await token(new Date(Date.now() - 2_000));
    await ctx.db.oneTimeTokens.consume(
      'magic_link',
      spent.secretHash,
      new Date(Date.now() - 3_000),
    );

    const ids = async () => (await ctx.db.mailOutbox.listRecent(100)).map((m) => m.id);
    const now = Date.now();
    expect(await mail.prune(ctx, new Date(now))).toEqual({
      sent: 0,
      dead: 0,
      tokens: 2,
      interactions: 0,
    });
    expect(
      await ctx.db.oneTimeTokens.peek('magic_link', live.secretHash, new Date()),
    ).toBeDefined();
    // Sent mail goes after 7 days (HJ_MAIL_SENT_RETENTION_DAYS); dead mail waits 30.
    expect(await mail.prune(ctx, new Date(now + 6 * DAY))).toEqual({
      sent: 0,
      dead: 0,
      tokens: 1,
      interactions: 0,
    });
    expect(await ids()).toEqual([sent.id, dead.id, pending.id]);
    expect(await mail.prune(ctx, new Date(now + 8 * DAY))).toEqual({
      sent: 1,
      dead: 0,
      tokens: 0,
      interactions: 0,
    });
    expect(await ids()).toEqual([dead.id, pending.id]);
    expect(await mail.prune(ctx, new Date(now + 31 * DAY))).toEqual({
      sent: 0,
      dead: 1,
      tokens: 0,
      interactions: 0,
    });
    expect(await ids()).toEqual([pending.id]);
  });
  it('prunes expired MFA challenges with the mail, and keeps live ones', async () => {
    const tenant = await system.createTenant('mail-prune-mfa');
    const ctx = await contextOf(system, tenant.id);
    const mail = mailModuleOf(system, { smtpUrl: smtp.url });
    modules.push(mail);
    const user = await ctx.db.users.create({
      id: randomUUID(),
      email: 'mfa@example.com',
      emailNormalized: 'mfa@example.com',
      name: null,
    });
    const challenge = (expiresAt: Date) =>
      ctx.db.mfaChallenges.create({
        userId: user.id,
        tokenHash: randomBytes(32).toString('hex'),
        amr: ['pwd'],
        maxAttempts: 5,
        expiresAt,
      });
    await challenge(new Date(Date.now() - 1_000));
    const live = await challenge(new Date(Date.now() + 300_000));
    const report = await mail.prune(ctx, new Date());
    expect(report.interactions).toBe(1);
    expect(await ctx.db.mfaChallenges.findLiveByHash(live.tokenHash, new Date())).toBeDefined();
    expect((await mail.prune(ctx, new Date())).interactions).toBe(0);
  });
});

describe('dev mailbox (no SMTP server)', () => {
  let system: DpSystem;

  beforeAll(async () => {
    system = await startDpSystem();
  }, 60_000);

  afterAll(async () => {
    await system.close();
  });

  it('keeps the mail, logs one line with the link, and lists it at /dev/mailbox', async () => {
    const tenant = await system.createTenant('mail-dev', {
      branding: { display_name: 'Dev <b>Co</b>' },
    });
    const ctx = await contextOf(system, tenant.id);
    const logLines: string[] = [];
    const mail = mailModuleOf(system, { logLines });
    try {
      await mail.sendMail(ctx.db, ctx, {
        kind: 'magic_link',
        to: 'dee@example.com',
        locale: 'en',
        variables: { link: LINK },
      });
      await mail.drainNow(ctx);
    } finally {
      await mail.stop();
    }
    const mailLines = logLines.filter((line) => line.includes('dev mailbox'));
    expect(mailLines).toHaveLength(1);
    expect(mailLines[0]).toContain(LINK);
    const [row] = await ctx.db.mailOutbox.listRecent(1);
    expect(row?.status).toBe('sent');

    const app = system.dp.url;
    const json = await request(app).get('/dev/mailbox').set('Accept', 'application/json');
    expect(json.status).toBe(200);
    const kept = (json.body as { data: Array<{ id: string; to: string; subject: string }> }).data;
    const found = kept.find((m) => m.id === row?.id);
    expect(found?.to).toBe('dee@example.com');

    const page = await request(app).get('/dev/mailbox');
    expect(page.status).toBe(200);
    expect(page.text).toContain('dee@example.com');
    expect(page.text).toContain('Dev &lt;b&gt;Co&lt;/b&gt;');
    const preview = await request(app).get(`/dev/mailbox/${row?.id}`);
    expect(preview.status).toBe(200);
    expect(preview.headers['content-security-policy']).toContain('sandbox');
    expect(unescapeHtml(preview.text)).toContain(LINK);
    const text = await request(app).get(`/dev/mailbox/${row?.id}/text`);
    expect(text.text).toContain(LINK);
    expect((await request(app).get('/dev/mailbox/not-an-id')).status).toBe(404);
  });

  it("previews the tenant's own template", async () => {
    const tenant = await system.createTenant('mail-dev-own', {
      mail: { templates: { magic_link: { en: { html: '<p class="own">{{tenantName}}</p>' } } } },
    });
    const ctx = await contextOf(system, tenant.id);
    const mail = mailModuleOf(system);
    try {
      await mail.sendMail(ctx.db, ctx, {
        kind: 'magic_link',
        to: 'dee@example.com',
        locale: 'en',
        variables: { link: LINK },
      });
      await mail.drainNow(ctx);
    } finally {
      await mail.stop();
    }
    const [row] = await ctx.db.mailOutbox.listRecent(1);
    const preview = await request(system.dp.url).get(`/dev/mailbox/${row?.id}`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain(`<p class="own">${tenant.slug}</p>`);
  });
});

describe('production without SMTP', () => {
  let system: DpSystem;
  const modules: MailModule[] = [];

  beforeAll(async () => {
    system = await startDpSystem({
      NODE_ENV: 'production',
      HJ_MASTER_KEY: randomBytes(32).toString('base64'),
    });
  }, 60_000);

  afterAll(async () => {
    for (const module of modules) await module.stop();
    await system.close();
  });

  it('serves no /dev/mailbox and holds mail pending, untried, for days, then delivers it', async () => {
    expect((await request(system.dp.url).get('/dev/mailbox')).status).toBe(404);
    const tenant = await system.createTenant('mail-prod');
    const ctx = await contextOf(system, tenant.id);
    const clock = { now: new Date() };
    const logLines: string[] = [];
    const registry = new Registry();
    const held = mailModuleOf(system, { clock, logLines, registry });
    modules.push(held);
    const startLine = logLines.find((line) => line.includes('HJ_SMTP_URL is unset in production'));
    expect(JSON.parse(startLine ?? '{}').level).toBe(50);
    expect(await registry.getSingleMetricAsString('mail_transport_missing')).toMatch(/ 1$/m);

    await held.sendMail(ctx.db, ctx, {
      kind: 'verify_email',
      to: 'eve@example.com',
      locale: 'en',
      variables: { link: LINK },
    });
    for (const days of [0, 1, 3]) {
      clock.now = new Date(Date.now() + days * 24 * 3600_000 + 1_000);
      const report = await held.drainNow(ctx);
      expect(report).toMatchObject({ sent: 0, failed: 0, dead: 0, held: 1 });
    }
    const [row] = await ctx.db.mailOutbox.listRecent(1);
    expect(row).toMatchObject({ status: 'pending', attempts: 0, lastError: null });

    // Each sweep says so once, as an error, and the gauge counts the held mail.
    logLines.length = 0;
    await held.sweepOnce();
    const sweepLines = logLines.filter((line) => line.includes('mail is held in the outbox'));
    expect(sweepLines).toHaveLength(1);
    expect(JSON.parse(sweepLines[0] ?? '{}')).toMatchObject({ level: 50, held: 1 });
    expect(await registry.getSingleMetricAsString('mail_held')).toMatch(/ 1$/m);

    // SMTP configured (a restart with HJ_SMTP_URL): the held mail goes out, days late.
    const smtp = await startSmtpTestServer(await freePort());
    try {
      const configured = mailModuleOf(system, { smtpUrl: smtp.url, clock });
      modules.push(configured);
      expect(await configured.drainNow(ctx)).toMatchObject({ sent: 1, held: 0 });
      expect(smtp.received.map((m) => m.to)).toEqual(['eve@example.com']);
      const [sent] = await ctx.db.mailOutbox.listRecent(1);
      expect(sent?.status).toBe('sent');
    } finally {
      await smtp.close();
    }
  });
});
