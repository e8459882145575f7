import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { startSystem, type System } from './support/system';
import { runHjctl, type HjctlOutcome } from './support/hjctl-runner';

interface WebhookJson {
  id: string;
  url: string;
  event_types: string[];
  enabled: boolean;
  description: string | null;
  previous_secret_expires_at: string | null;
  secret?: string;
}

/** `hjctl webhooks` against a running control plane: the whole configuration round trip. */
describe('hjctl webhooks', () => {
  let system: System;
  let home: string;
  let slug: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    system = await startSystem();
    home = mkdtempSync(join(tmpdir(), 'hjctl-home-'));
    slug = `wh-${randomBytes(3).toString('hex')}`;
    await system.createTenant(slug);
    env = { HJCTL_TOKEN: await system.adminToken() };
  });
  afterAll(async () => {
    await system.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function hjctl(...argv: string[]): Promise<HjctlOutcome> {
    return runHjctl({ cpUrl: system.cp.url, home, env }, argv);
  }

  it('creates, lists, changes, rotates, shows deliveries of and deletes a webhook', async () => {
    const webhooks = ['webhooks', '--tenant', slug];
    const created = await hjctl(
      '--json',
      ...webhooks,
      'create',
      '--endpoint',
      'https://hooks.example.com/hellojohn',
      '--event',
      'user.created',
      '--event',
      'organization.*',
      '--description',
      'CRM',
    );
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    const hook = JSON.parse(created.out) as WebhookJson;
    expect(hook).toMatchObject({
      url: 'https://hooks.example.com/hellojohn',
      event_types: ['user.created', 'organization.*'],
      enabled: true,
      description: 'CRM',
    });
    expect(hook.secret).toMatch(/^whsec_/);

    const listed = await hjctl(...webhooks, 'list');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(hook.id);
    expect(listed.out).toContain('user.created organization.*');
    expect(listed.out).not.toContain('whsec_');

    const updated = await hjctl(
      '--json',
      ...webhooks,
      'update',
      hook.id,
      '--event',
      '*',
      '--disable',
      '--description',
      '',
    );
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.out)).toMatchObject({
      event_types: ['*'],
      enabled: false,
      description: null,
    });

    const rotated = await hjctl('--json', ...webhooks, 'rotate-secret', hook.id, '--overlap', '60');
    expect(rotated.code).toBe(0);
    const fresh = JSON.parse(rotated.out) as WebhookJson;
    expect(fresh.secret).toMatch(/^whsec_/);
    expect(fresh.secret).not.toBe(hook.secret);
    expect(fresh.previous_secret_expires_at).not.toBeNull();

    const deliveries = await hjctl(...webhooks, 'deliveries', hook.id);
    expect(deliveries).toMatchObject({ code: 0, out: '(none)\n' });

    const retry = await hjctl(...webhooks, 'retry', hook.id, randomUUID());
    expect(retry.code).toBe(1);
    expect(retry.err).toContain('webhook_delivery_not_found');

    const bad = await hjctl(
      ...webhooks,
      'create',
      '--endpoint',
      'http://example.com',
      '--event',
      '*',
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('body.url');

    expect((await hjctl(...webhooks, 'delete', hook.id)).code).toBe(0);
    const gone = await hjctl(...webhooks, 'get', hook.id);
    expect(gone.code).toBe(1);
    expect(gone.err).toContain('webhook_not_found');
  });
});
