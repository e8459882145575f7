import { randomBytes } from 'node:crypto';
import { eventually } from '@hellojohn/testing';
import request from 'supertest';
import type { System } from './support/system';

/**
 * Both planes as `npm start` wires them (issue 19): an API key and an admin token work on the data
 * plane's admin routes, and stop working there within seconds of being revoked on the control
 * plane (API key revoked, admin disabled or deleted, admin session ended).
 */
export function operatorRevocationSuite(name: string, start: () => Promise<System>): void {
  describe(name, () => {
    let system: System;
    let owner: string;
    let tenant: { id: string; slug: string };

    const onDp = (token: string) =>
      request(system.dp.url)
        .get(`/t/${tenant.slug}/v1/admin/users`)
        .set('Authorization', `Bearer ${token}`);
    const onCp = () => request(system.cp.url);

    async function newAdmin(): Promise<{
      id: string;
      access_token: string;
      refresh_token: string;
    }> {
      const email = `ops-${randomBytes(4).toString('hex')}@example.com`;
      const password = 'operator-password-1';
      const created = await onCp()
        .post('/v1/admins')
        .set('Authorization', `Bearer ${owner}`)
        .send({ email, password, role: 'admin', tenants: [tenant.slug] })
        .expect(201);
      const signedIn = await onCp().post('/v1/auth/sign-in').send({ email, password }).expect(200);
      const tokens = signedIn.body as { access_token: string; refresh_token: string };
      return { id: (created.body as { id: string }).id, ...tokens };
    }

    beforeAll(async () => {
      system = await start();
      owner = await system.adminToken();
      tenant = await system.createTenant(`ops-${randomBytes(3).toString('hex')}`);
    });
    afterAll(async () => {
      await system.close();
    });

    it('a revoked API key is refused on both planes within seconds', async () => {
      const created = await onCp()
        .post('/v1/api-keys')
        .set('Authorization', `Bearer ${owner}`)
        .send({ name: 'ci', role: 'admin', tenants: [tenant.id] })
        .expect(201);
      const { id, key } = created.body as { id: string; key: string };
      await onDp(key).expect(200);
      await onCp().get('/v1/tenants').set('Authorization', `Bearer ${key}`).expect(200);

      await onCp().delete(`/v1/api-keys/${id}`).set('Authorization', `Bearer ${owner}`).expect(204);
      await onCp().get('/v1/tenants').set('Authorization', `Bearer ${key}`).expect(401);
      await eventually(async () => {
        await onDp(key).expect(401);
      }, 5_000);
    });

    it("a disabled admin's token is refused on the data plane within seconds", async () => {
      const admin = await newAdmin();
      await onDp(admin.access_token).expect(200);
      await onCp()
        .patch(`/v1/admins/${admin.id}`)
        .set('Authorization', `Bearer ${owner}`)
        .send({ disabled: true })
        .expect(200);
      await eventually(async () => {
        await onDp(admin.access_token).expect(401);
      }, 5_000);
    });

    it("a deleted admin's token and a signed-out session are refused within seconds", async () => {
      const deleted = await newAdmin();
      const signedOut = await newAdmin();
      await onDp(deleted.access_token).expect(200);
      await onDp(signedOut.access_token).expect(200);
      await onCp()
        .delete(`/v1/admins/${deleted.id}`)
        .set('Authorization', `Bearer ${owner}`)
        .expect(204);
      await onCp()
        .post('/v1/auth/sign-out')
        .set('Authorization', `Bearer ${signedOut.access_token}`)
        .expect(204);
      await eventually(async () => {
        await onDp(deleted.access_token).expect(401);
        await onDp(signedOut.access_token).expect(401);
      }, 5_000);
      // A fresh session of a live admin still works.
      await onDp(owner).expect(200);
    });

    it('a scoped admin reaches its tenant only, on both planes', async () => {
      const admin = await newAdmin();
      const other = await system.createTenant(`ops-${randomBytes(3).toString('hex')}`);
      await request(system.dp.url)
        .get(`/t/${other.slug}/v1/admin/users`)
        .set('Authorization', `Bearer ${admin.access_token}`)
        .expect(404);
      await onCp()
        .get(`/v1/tenants/${other.slug}`)
        .set('Authorization', `Bearer ${admin.access_token}`)
        .expect(404);
    });
  });
}
