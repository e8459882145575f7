import { randomUUID } from 'node:crypto';
import { EVENT_TYPES } from './event-types';
import { createEvent, parseEvent } from './envelope';
import { InvalidEventError } from './errors';

const tenantId = randomUUID();

function validEnvelope(): Record<string, unknown> {
  return {
    id: randomUUID(),
    type: 'tenant.updated',
    version: 1,
    occurred_at: '2025-01-02T03:04:05.678Z',
    tenant_id: tenantId,
    data: { slug: 'acme', changes: ['name'] },
  };
}

function issuePaths(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidEventError) return err.issues.map((i) => i.path.join('.'));
    throw err;
  }
  throw new Error('expected an InvalidEventError');
}

describe('createEvent', () => {
  it('builds a versioned envelope with a fresh uuid and the current time', () => {
    const before = Date.now();
    const event = createEvent('client.created', tenantId, { client_id: 'c1' });
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'client.created',
      version: 1,
      occurred_at: expect.any(String),
      tenant_id: tenantId,
      data: { client_id: 'c1' },
    });
    expect(Date.parse(event.occurred_at)).toBeGreaterThanOrEqual(before - 1);
    expect(createEvent('client.created', tenantId, { client_id: 'c1' }).id).not.toBe(event.id);
  });

  it('uses the id and time it is given', () => {
    const id = randomUUID();
    const event = createEvent(
      'tenant.deleted',
      tenantId,
      { slug: 'acme', drop_database: false },
      { id, occurredAt: new Date('2024-05-06T07:08:09.000Z') },
    );
    expect(event.id).toBe(id);
    expect(event.occurred_at).toBe('2024-05-06T07:08:09.000Z');
  });

  it('rejects data that breaks the contract of its type', () => {
    expect(
      issuePaths(() =>
        createEvent('tenant.updated', tenantId, { slug: 'Not A Slug', changes: [] }),
      ),
    ).toEqual(['data.slug']);
  });

  it('rejects a tenant id that is not a uuid', () => {
    expect(issuePaths(() => createEvent('client.deleted', 'acme', { client_id: 'c1' }))).toEqual([
      'tenant_id',
    ]);
  });

  it('never carries an external DSN, even when a caller passes one', () => {
    const data = {
      slug: 'acme',
      name: 'Acme',
      issuer: 'http://localhost:8080/t/acme',
      database: {
        mode: 'external' as const,
        driver: 'pg' as const,
        dsn: 'postgres://u:secret@db/x',
      },
      settings: {},
    };
    const event = createEvent('tenant.created', tenantId, data);
    expect(event.data.database).toEqual({ mode: 'external', driver: 'pg' });
    expect(JSON.stringify(event)).not.toContain('secret');
  });
});

describe('parseEvent', () => {
  it('accepts a valid envelope and returns it', () => {
    const raw = validEnvelope();
    expect(parseEvent(raw)).toEqual(raw);
  });

  it('round-trips an event of every type through JSON', () => {
    const data: Record<(typeof EVENT_TYPES)[number], unknown> = {
      'tenant.created': {
        slug: 'acme',
        name: 'Acme',
        issuer: 'https://id.example.com/t/acme',
        database: { mode: 'managed' },
        settings: { theme: 'dark' },
      },
      'tenant.updated': { slug: 'acme', changes: ['name', 'settings'] },
      'tenant.deleted': { slug: 'acme', drop_database: true },
      'tenant.provisioned': { slug: 'acme', database_created: false, signing_key_kid: 'k1' },
      'tenant.provisioning_failed': { reason: 'no such host', attempts: 5 },
      'tenant.deprovisioned': {},
      'tenant.keys.rotation_requested': { slug: 'acme', requested_by: 'admin-1' },
      'client.created': { client_id: 'c1' },
      'client.updated': { client_id: 'c1' },
      'client.deleted': { client_id: 'c1' },
      'resource.created': { resource_id: 'r1' },
      'resource.updated': { resource_id: 'r1' },
      'resource.deleted': { resource_id: 'r1' },
      'identity_provider.created': { identity_provider_id: 'idp1' },
      'identity_provider.updated': { identity_provider_id: 'idp1' },
      'identity_provider.deleted': { identity_provider_id: 'idp1' },
      'api_key.revoked': { api_key_id: 'k1' },
      'admin.revoked': { admin_id: 'a1', revoked_at: '2025-01-02T03:04:05.000Z' },
      'user.created': { user_id: 'u1', email: 'a@example.com', email_verified: true, name: null },
      'user.updated': { user_id: 'u1', fields: ['name'] },
      'user.deleted': { user_id: 'u1' },
      'user.signed_in': { user_id: 'u1', session_id: 's1', method: 'password' },
      'user.password_changed': { user_id: 'u1' },
      'session.revoked': { user_id: 'u1', session_id: 's1', reason: 'sign_out' },
      'mfa.enrolled': { user_id: 'u1', factor_id: 'f1', type: 'totp' },
      'organization.created': { organization_id: 'o1', slug: 'acme', name: 'Acme' },
      'organization.updated': { organization_id: 'o1', slug: 'acme', name: 'Acme Inc' },
      'organization.deleted': { organization_id: 'o1' },
      'membership.created': { organization_id: 'o1', user_id: 'u1', role: 'member' },
      'membership.updated': { organization_id: 'o1', user_id: 'u1', role: 'admin' },
      'membership.deleted': { organization_id: 'o1', user_id: 'u1' },
    };
    for (const type of EVENT_TYPES) {
      const raw = { ...validEnvelope(), type, data: data[type] };
      expect(parseEvent(JSON.parse(JSON.stringify(raw)))).toEqual(raw);
    }
  });

  it('accepts timestamps with an offset', () => {
    expect(
      parseEvent({ ...validEnvelope(), occurred_at: '2025-01-02T04:04:05+01:00' }).occurred_at,
    ).toBe('2025-01-02T04:04:05+01:00');
  });

  it('drops unknown keys inside data so older consumers accept newer producers', () => {
    const raw = { ...validEnvelope(), data: { slug: 'acme', changes: [], added_later: true } };
    expect(parseEvent(raw).data).toEqual({ slug: 'acme', changes: [] });
  });

  it.each([
    ['id', { id: 'not-a-uuid' }],
    ['type', { type: 'tenant.exploded' }],
    ['version', { version: 2 }],
    ['occurred_at', { occurred_at: 'yesterday' }],
    ['occurred_at', { occurred_at: 1735787045678 }],
    ['tenant_id', { tenant_id: 'acme' }],
    ['data', { data: 'text' }],
    ['data', { data: null }],
  ])('rejects a bad %s', (field, patch) => {
    expect(issuePaths(() => parseEvent({ ...validEnvelope(), ...patch }))).toEqual([field]);
  });

  it.each(['id', 'type', 'version', 'occurred_at', 'tenant_id', 'data'])(
    'rejects an envelope without %s',
    (field) => {
      const raw = validEnvelope();
      Reflect.deleteProperty(raw, field);
      expect(issuePaths(() => parseEvent(raw))).toEqual([field]);
    },
  );

  it('rejects unknown top-level keys', () => {
    expect(() => parseEvent({ ...validEnvelope(), extra: 1 })).toThrow(InvalidEventError);
  });

  it('rejects values that are not objects', () => {
    for (const raw of [null, undefined, 'event', 42, []]) {
      expect(() => parseEvent(raw)).toThrow(InvalidEventError);
    }
  });

  it.each([
    ['client.created', {}, ['data.client_id']],
    [
      'tenant.created',
      {
        slug: 'acme',
        name: 'Acme',
        issuer: 'not a url',
        database: { mode: 'managed' },
        settings: {},
      },
      ['data.issuer'],
    ],
    [
      'tenant.created',
      {
        slug: 'acme',
        name: 'Acme',
        issuer: 'http://x/t/acme',
        database: { mode: 'external' },
        settings: {},
      },
      ['data.database.driver'],
    ],
    [
      'tenant.created',
      {
        slug: 'acme',
        name: 'Acme',
        issuer: 'http://x/t/acme',
        database: { mode: 'sqlite' },
        settings: {},
      },
      ['data.database.mode'],
    ],
    ['tenant.deleted', { slug: 'acme', drop_database: 'yes' }, ['data.drop_database']],
    ['tenant.provisioning_failed', { reason: 'x', attempts: -1 }, ['data.attempts']],
    [
      'tenant.provisioned',
      { slug: 'a', database_created: true, signing_key_kid: 'k' },
      ['data.slug'],
    ],
  ])('rejects %s data that breaks its contract (%j)', (type, data, paths) => {
    expect(issuePaths(() => parseEvent({ ...validEnvelope(), type, data }))).toEqual(paths);
  });

  it('reports the offending fields in the error message', () => {
    expect(() => parseEvent({ ...validEnvelope(), tenant_id: 'x' })).toThrow(/tenant_id/);
  });
});
