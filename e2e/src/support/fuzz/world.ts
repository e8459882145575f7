import { randomBytes } from 'node:crypto';
import { sendRaw, type RawResponse } from './http';
import type { OpenApiDocument, Operation } from './openapi-model';
import type { System } from '../system';

/** A signed-in end user of a tenant, or an admin, as fixtures hold them. */
export interface Account {
  id: string;
  email: string;
  password: string;
  access: string;
  refresh?: string;
  /** The session id (`sid` claim) of `access`. */
  sid?: string;
}

export interface TenantRef {
  id: string;
  slug: string;
}

let counter = 0;
/** A unique client address per fixture request, so fixtures never spend the fuzzed budgets. */
const nextAddress = (): string => {
  counter++;
  return `10.${(counter >> 16) & 255}.${(counter >> 8) & 255}.${counter & 255}`;
};
const unique = (): string => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; tenant?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'x-forwarded-for': nextAddress() };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.tenant) headers['x-tenant-id'] = options.tenant;
  let body: Buffer | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = Buffer.from(JSON.stringify(options.body));
  }
  const res: RawResponse = await sendRaw(baseUrl, { method, path, headers, body });
  const text = res.body.toString('utf8');
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function expectStatus(
  promise: Promise<{ status: number; body: Record<string, unknown> }>,
  status: number,
  what: string,
): Promise<Record<string, unknown>> {
  const res = await promise;
  if (res.status !== status) {
    throw new Error(`fixture: ${what} answered ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

function sidOf(accessToken: string): string | undefined {
  const payload = accessToken.split('.')[1];
  if (!payload) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sid?: string };
  return claims.sid;
}

/**
 * The fixtures the fuzzer aims at, on a running system: tenant A (data-plane target), tenant B
 * (the "other tenant": its user, tokens and ids are cross-tenant inputs), tenant S (the scratch
 * tenant control-plane writes may change at will), an owner and a viewer admin, a long-lived user
 * of A for read-only operations, clients, and factories for throw-away users, tenants, clients and
 * admins that destructive operations consume, one per request.
 */
export class FuzzWorld {
  readonly cpUrl: string;
  readonly dpUrl: string;
  private readonly cursors = new Map<string, string | null>();
  /** Long-lived users of A (read-only operations act on it) and of B (a foreign user). */
  userA!: Account;
  userB!: Account;
  /** A client of S (shared by non-destructive client operations) and one of A (foreign to S). */
  clients = { scratch: '', foreign: '' };

  private constructor(
    readonly system: System,
    readonly docs: { controlPlane: OpenApiDocument; dataPlane: OpenApiDocument },
    readonly owner: string,
    readonly viewer: Account,
    readonly tenantA: TenantRef,
    readonly tenantB: TenantRef,
    readonly scratch: TenantRef,
  ) {
    this.cpUrl = system.cp.url;
    this.dpUrl = system.dp.url;
  }

  static async create(system: System): Promise<FuzzWorld> {
    const owner = await system.adminToken();
    const cp = system.cp.url;
    const [controlPlane, dataPlane] = await Promise.all([
      call(cp, 'GET', '/openapi.json'),
      call(system.dp.url, 'GET', '/openapi.json'),
    ]);
    const tenant = async (prefix: string): Promise<TenantRef> => {
      const { id, slug } = await system.createTenant(`${prefix}-${unique()}`);
      return { id, slug };
    };
    const tenantA = await tenant('fuzz-a');
    const tenantB = await tenant('fuzz-b');
    const scratch = await tenant('fuzz-s');

    const viewerEmail = `viewer-${unique()}@example.com`;
    const viewerPassword = 'viewer password long enough';
    const viewerRow = await expectStatus(
      call(cp, 'POST', '/v1/admins', {
        token: owner,
        body: { email: viewerEmail, password: viewerPassword, role: 'viewer' },
      }),
      201,
      'create viewer admin',
    );
    const viewerTokens = await expectStatus(
      call(cp, 'POST', '/v1/auth/sign-in', {
        body: { email: viewerEmail, password: viewerPassword },
      }),
      200,
      'viewer sign-in',
    );
    const viewer: Account = {
      id: String(viewerRow.id),
      email: viewerEmail,
      password: viewerPassword,
      access: String(viewerTokens.access_token),
    };

    const world = new FuzzWorld(
      system,
      {
        controlPlane: controlPlane.body as unknown as OpenApiDocument,
        dataPlane: dataPlane.body as unknown as OpenApiDocument,
      },
      owner,
      viewer,
      tenantA,
      tenantB,
      scratch,
    );
    world.userA = await world.freshUser(tenantA);
    // A second session, so session lists have a next page at limit=1.
    await world.signIn(tenantA, world.userA);
    world.userB = await world.freshUser(tenantB);
    world.clients = {
      scratch: await world.freshClient(scratch),
      foreign: await world.freshClient(tenantA),
    };
    // A second client of S, so its client list has a next page at limit=1.
    await world.freshClient(scratch);
    return world;
  }

  /** A new user of `tenant`, signed up and signed in (its own session and tokens). */
  async freshUser(tenant: TenantRef): Promise<Account> {
    const email = `fuzz-${unique()}@example.com`;
    const password = `fuzz password ${unique()}`;
    const body = await expectStatus(
      call(this.dpUrl, 'POST', '/v1/auth/sign-up', {
        tenant: tenant.id,
        body: { email, password, name: 'Fuzz' },
      }),
      201,
      'sign-up',
    );
    const user = body.user as { id: string };
    const access = String(body.access_token);
    return {
      id: user.id,
      email,
      password,
      access,
      refresh: String(body.refresh_token),
      ...(sidOf(access) ? { sid: sidOf(access) } : {}),
    };
  }

  async signIn(tenant: TenantRef, account: Account): Promise<void> {
    await expectStatus(
      call(this.dpUrl, 'POST', '/v1/auth/sign-in', {
        tenant: tenant.id,
        body: { email: account.email, password: account.password },
      }),
      200,
      'sign-in',
    );
  }

  /** A tenant created and not waited for (delete targets). */
  async freshTenant(): Promise<TenantRef> {
    const body = await expectStatus(
      call(this.cpUrl, 'POST', '/v1/tenants', {
        token: this.owner,
        body: { slug: `fuzz-del-${unique()}`, name: 'Fuzz delete target' },
      }),
      202,
      'create tenant',
    );
    return { id: String(body.id), slug: String(body.slug) };
  }

  async freshClient(tenant: TenantRef): Promise<string> {
    const body = await expectStatus(
      call(this.cpUrl, 'POST', `/v1/tenants/${tenant.id}/clients`, {
        token: this.owner,
        body: {
          name: 'Fuzz client',
          type: 'confidential',
          redirect_uris: ['https://app.example.com/callback'],
          grant_types: ['authorization_code', 'refresh_token'],
        },
      }),
      201,
      'create client',
    );
    return String(body.client_id);
  }

  async freshAdmin(): Promise<string> {
    const body = await expectStatus(
      call(this.cpUrl, 'POST', '/v1/admins', {
        token: this.owner,
        body: {
          email: `fuzz-admin-${unique()}@example.com`,
          password: 'fuzz admin password',
          role: 'viewer',
        },
      }),
      201,
      'create admin',
    );
    return String(body.id);
  }

  /**
   * A real `next_cursor` of a list (`path` called with `limit=1` and `token`), or null when the
   * list has a single page. Cached per `key`.
   */
  async cursorOf(
    key: string,
    plane: Operation['plane'],
    path: string,
    token: string,
  ): Promise<string | null> {
    const cached = this.cursors.get(key);
    if (cached !== undefined) return cached;
    const base = plane === 'control-plane' ? this.cpUrl : this.dpUrl;
    const res = await call(base, 'GET', `${path}?limit=1`, {
      token,
      ...(plane === 'data-plane' ? { tenant: this.tenantA.id } : {}),
    });
    const next = typeof res.body.next_cursor === 'string' ? res.body.next_cursor : null;
    this.cursors.set(key, next);
    return next;
  }
}
