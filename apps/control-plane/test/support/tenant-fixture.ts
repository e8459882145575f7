import type { TenantRow } from '@hellojohn/dal';
import request from 'supertest';
import { startCpApp, type CpApp } from './cp-app';
import type { DatabaseSetup } from './cp-databases';

/** Supertest calls with one bearer token, for the verbs a tenant's resource routes answer. */
export function bearerClient(cp: () => CpApp, token: () => string) {
  const call = (method: 'get' | 'post' | 'put' | 'patch' | 'delete') => (path: string) =>
    request(cp().app)[method](path).set('Authorization', `Bearer ${token()}`);
  return {
    get: call('get'),
    post: call('post'),
    put: call('put'),
    patch: call('patch'),
    delete: call('delete'),
  };
}

/** What a suite about one tenant's resources needs; read it inside tests, after `beforeAll`. */
export interface TenantFixture {
  readonly cp: CpApp;
  readonly tenant: TenantRow;
  readonly owner: ReturnType<typeof bearerClient>;
  readonly viewer: ReturnType<typeof bearerClient>;
}

/**
 * Registers the hooks of a suite about one tenant: a control plane on `setup`'s database with a
 * manual outbox relay, an owner and a viewer token, one tenant; each test starts with an empty
 * outbox and sees only the events it caused.
 */
export function useTenantFixture(setup: DatabaseSetup): TenantFixture {
  let cp: CpApp | undefined;
  let tenant: TenantRow | undefined;
  let cleanup: () => Promise<void> = () => Promise.resolve();
  let ownerToken = '';
  let viewerToken = '';
  const started = (): CpApp => {
    if (!cp) throw new Error('the tenant fixture is read before its beforeAll ran');
    return cp;
  };

  beforeAll(async () => {
    const db = await setup();
    cleanup = db.cleanup;
    cp = await startCpApp(db.databaseUrl, { manualRelay: true });
    ownerToken = await cp.token();
    viewerToken = await cp.viewerToken();
    tenant = await cp.createTenant();
  });
  afterAll(async () => {
    await cp?.close();
    await cleanup();
  });
  beforeEach(async () => {
    await cp?.takeEvents();
  });

  return {
    get cp() {
      return started();
    },
    get tenant() {
      if (!tenant) throw new Error('the tenant fixture is read before its beforeAll ran');
      return tenant;
    },
    owner: bearerClient(started, () => ownerToken),
    viewer: bearerClient(started, () => viewerToken),
  };
}
