import { isConnectionError } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import type { NextFunction, Request, Response } from 'express';
import { safeReason } from '../src/tenancy/safe-reason';
import { createTenantHealth } from '../src/tenancy/tenant-health';
import { tenantUnavailable } from '../src/tenancy/tenant-unavailable.middleware';

const withCode = (code: string, message = 'boom'): Error =>
  Object.assign(new Error(message), { code });

describe('isConnectionError', () => {
  it.each([
    ['pg refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['unknown host', withCode('ENOTFOUND')],
    ['timeout', withCode('ETIMEDOUT')],
    ['mysql lost', withCode('PROTOCOL_CONNECTION_LOST')],
    ['pg shutting down', withCode('57P01')],
    [
      'knex pool',
      Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), {
        name: 'KnexTimeoutError',
      }),
    ],
    ['pg terminated', new Error('Connection terminated unexpectedly')],
    ['wrapped', new Error('query failed', { cause: withCode('ECONNRESET') })],
  ])('recognises %s', (_name, error) => {
    expect(isConnectionError(error)).toBe(true);
  });

  it.each([
    ['unique violation', withCode('23505')],
    ['syntax', withCode('42601', 'syntax error at or near "selec"')],
    ['plain', new Error('nope')],
    ['not an error', 'ECONNREFUSED'],
  ])('leaves %s alone', (_name, error) => {
    expect(isConnectionError(error)).toBe(false);
  });
});

describe('safeReason', () => {
  it('masks URL passwords and named secrets', () => {
    const reason = safeReason(
      new Error('cannot reach postgres://hj:s3cret@db:5432/app (password s3cret)'),
      ['s3cret'],
    );
    expect(reason).not.toContain('s3cret');
    expect(reason).toContain('postgres://hj:***@db:5432/app');
  });
});

describe('tenantUnavailable', () => {
  function run(error: unknown, tenantId?: string) {
    const health = createTenantHealth();
    const res = {
      locals: tenantId ? { tenant: { config: { id: tenantId } } } : {},
    } as unknown as Response;
    let passed: unknown;
    const next: NextFunction = (err?: unknown) => {
      passed = err;
    };
    tenantUnavailable(health)(error, Object.create(null) as Request, res, next);
    return { passed, health };
  }

  it('answers 503 tenant_unavailable for an unreachable tenant database and notes the tenant', () => {
    const { passed, health } = run(
      withCode('ECONNREFUSED'),
      '7d1f7f5c-1111-4222-8333-944444444444',
    );
    expect(passed).toBeInstanceOf(AppError);
    expect((passed as AppError).code).toBe('tenant_unavailable');
    expect((passed as AppError).status).toBe(503);
    expect(health.down().tenants.map((t) => t.tenant_id)).toEqual([
      '7d1f7f5c-1111-4222-8333-944444444444',
    ]);
  });

  it('passes other errors on unchanged', () => {
    const error = withCode('23505');
    expect(run(error).passed).toBe(error);
  });
});

describe('createTenantHealth', () => {
  it('forgets a failure after the window', () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const health = createTenantHealth({ windowMs: 60_000, now: () => now });
    health.reportDown('a', new Error('x'));
    expect(health.down().count).toBe(1);
    now = new Date(now.getTime() + 61_000);
    expect(health.down().count).toBe(0);
  });
});
