/** The control-plane calls the benches make to set themselves up (not measured). */
import { ADMIN } from './start-system';

export async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * `fetch` for set-up calls (not measured): a 503 (a dependency timing out on a loaded machine) is
 * tried again, up to 5 times, a second apart.
 */
export async function fetchRetrying(url: string, init: RequestInit = {}): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, init);
    if (res.status !== 503 || attempt === 5) return res;
    await res.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export const jsonPost = (
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> =>
  fetchRetrying(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** The bench operator's `Authorization` header. */
export async function adminAuth(cpUrl: string): Promise<Record<string, string>> {
  const { access_token } = await json<{ access_token: string }>(
    await jsonPost(`${cpUrl}/v1/auth/sign-in`, ADMIN),
    'admin sign-in',
  );
  return { authorization: `Bearer ${access_token}` };
}

export interface BenchTenant {
  id: string;
  slug: string;
  issuer: string;
}

/** Creates a tenant (`settings` as the API takes them) and waits until it is active. */
export async function createTenant(
  cpUrl: string,
  auth: Record<string, string>,
  slug: string,
  settings: Record<string, unknown> = {},
): Promise<BenchTenant> {
  const created = await json<{ id: string }>(
    await jsonPost(`${cpUrl}/v1/tenants`, { slug, name: 'Bench', settings }, auth),
    'create tenant',
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    const tenant = await json<BenchTenant & { status: string }>(
      await fetchRetrying(`${cpUrl}/v1/tenants/${created.id}`, { headers: auth }),
      'get tenant',
    );
    if (tenant.status === 'active') return tenant;
    if (tenant.status === 'failed' || Date.now() > deadline) throw new Error('provisioning failed');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
