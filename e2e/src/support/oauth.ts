import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import request from 'supertest';
import type { System } from './system';

/** A tenant as the control plane answers it once the data plane has provisioned it. */
export type Tenant = Awaited<ReturnType<System['createTenant']>>;

/** A client as the control plane's registration answers it (no secret for a public client). */
export interface Registered {
  client_id: string;
  client_secret?: string;
}

/** A unique tenant slug: each suite (and each run on a shared database) gets its own tenants. */
export const slug = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

// eslint-disable-next-line @typescript-eslint/no-deprecated -- the test system serves plain http on loopback
export const plainHttp = { execute: [oidc.allowInsecureRequests] };

/** RFC 6749 §2.3.1, by hand, for the raw requests. */
export const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** Registers a client on the control plane's API; fails with the answer when it is not a 201. */
export async function registerClient(
  system: System,
  tenant: Tenant,
  body: Record<string, unknown>,
): Promise<Registered> {
  const res = await request(system.cp.url)
    .post(`/v1/tenants/${tenant.id}/clients`)
    .set('Authorization', `Bearer ${await system.adminToken()}`)
    .send({ name: 'e2e client', ...body });
  if (res.status !== 201)
    throw new Error(`client registration: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Registered;
}

/** What a failed openid-client call carried: the HTTP status and the RFC 6749 error code. */
export async function oauthFailure(
  call: Promise<unknown>,
): Promise<{ status: number; error: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError)
      return { status: error.status, error: error.error };
    if (error instanceof oidc.WWWAuthenticateChallengeError) {
      // A Basic challenge (401 invalid_client) has no error parameter: the body has it.
      const fromChallenge = error.cause[0]?.parameters.error;
      if (fromChallenge !== undefined) return { status: error.status, error: fromChallenge };
      const body = (await error.response.json()) as { error: string };
      return { status: error.status, error: body.error };
    }
    // An error at the redirect URI (access_denied...): no HTTP status of the server's.
    if (error instanceof oidc.AuthorizationResponseError) return { status: 0, error: error.error };
    throw error;
  }
  throw new Error('the call succeeded');
}

export { eventually } from '@hellojohn/testing';
