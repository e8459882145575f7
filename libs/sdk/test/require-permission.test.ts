import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { ErrorRequestHandler } from 'express';
import {
  hasPermission,
  requireAuth,
  requireOrgRole,
  requirePermission,
  satisfiesOrgRole,
} from '../src/index';
import { startJwksServer } from './support/jwks-server';
import type { JwksServer } from './support/jwks-server';
import { mint, newKey } from './support/keys';
import type { TestKey } from './support/keys';

let jwks: JwksServer;
let key: TestKey;
let api: Server;
let apiUrl: string;

beforeAll(async () => {
  key = await newKey();
  jwks = await startJwksServer([key.publicJwk]);
  const auth = requireAuth({ tenantUrl: jwks.url, audience: jwks.url });
  const ok = (_req: express.Request, res: express.Response) => {
    res.json({ ok: true });
  };
  const app = express();
  app.put('/docs', auth, requirePermission('docs:write'), ok);
  app.put(
    '/resolved',
    auth,
    requirePermission('docs:write', {
      resolvePermissions: (_req, info) =>
        Promise.resolve(info.sub === 'user-1' ? ['docs:write'] : []),
    }),
    ok,
  );
  app.delete(
    '/orgs/:org',
    auth,
    requireOrgRole('admin', { organizationOf: (req) => String(req.params['org']) }),
    ok,
  );
  app.get('/any-org', auth, requireOrgRole('member'), ok);
  // A guard without requireAuth before it is a wiring mistake: a 500, not a pass.
  app.get('/miswired', requirePermission('docs:write'), ok);
  const onError: ErrorRequestHandler = function onError(_error, _req, res, next) {
    if (res.headersSent) {
      next(_error);
      return;
    }
    res.status(500).json({ error: 'server_error' });
  };
  app.use(onError);
  api = createServer(app);
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => api.close(resolve));
  await jwks.close();
});

const call = async (method: string, path: string, extra?: Record<string, unknown>) => {
  const token = await mint(key, jwks.url, extra ? { extra } : {});
  return fetch(`${apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
};

describe('requirePermission', () => {
  it('admits a token granting the permission directly, by resource:* or by *', async () => {
    for (const permissions of [['docs:write'], ['docs:*'], ['*'], ['a:b', 'docs:write']]) {
      expect((await call('PUT', '/docs', { permissions })).status).toBe(200);
    }
  });

  it('refuses others with 403 insufficient_permission', async () => {
    for (const extra of [{ permissions: ['docs:read'] }, { permissions: ['users:*'] }, {}]) {
      const res = await call('PUT', '/docs', extra);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'insufficient_permission' });
    }
    const anonymous = await fetch(`${apiUrl}/docs`, { method: 'PUT' });
    expect(anonymous.status).toBe(401);
  });

  it('resolves permissions_ref only when told how', async () => {
    expect((await call('PUT', '/docs', { permissions_ref: true })).status).toBe(403);
    expect((await call('PUT', '/resolved', { permissions_ref: true })).status).toBe(200);
  });

  it('fails loudly when requireAuth did not run', async () => {
    expect((await fetch(`${apiUrl}/miswired`)).status).toBe(500);
  });
});

describe('requireOrgRole', () => {
  it('admits the role or a higher built-in one in the named organization', async () => {
    for (const role of ['admin', 'owner']) {
      const res = await call('DELETE', '/orgs/o1', { org_id: 'o1', org_role: role });
      expect(res.status).toBe(200);
    }
  });

  it('refuses a lower role, another organization, or none', async () => {
    for (const extra of [
      { org_id: 'o1', org_role: 'member' },
      { org_id: 'o1', org_role: 'reviewer' },
      { org_id: 'o2', org_role: 'owner' },
      {},
    ]) {
      const res = await call('DELETE', '/orgs/o1', extra);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'insufficient_role' });
    }
    expect((await call('GET', '/any-org', { org_id: 'o9', org_role: 'member' })).status).toBe(200);
    expect((await call('GET', '/any-org', {})).status).toBe(403);
  });
});

describe('helpers', () => {
  it('match permissions and roles', () => {
    expect(hasPermission(['docs:*'], 'docs:write')).toBe(true);
    expect(hasPermission(['docs:*'], 'docsx:write')).toBe(false);
    expect(satisfiesOrgRole('owner', 'member')).toBe(true);
    expect(satisfiesOrgRole('member', 'admin')).toBe(false);
    expect(satisfiesOrgRole('reviewer', 'reviewer')).toBe(true);
    expect(satisfiesOrgRole('owner', 'reviewer')).toBe(false);
  });
});
