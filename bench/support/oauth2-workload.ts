/**
 * The OAuth 2.0 machine-to-machine workload: confidential clients registered through the control
 * plane, and the token and introspection requests every server under test gets alike.
 */
import { fetchRetrying, json, jsonPost } from './control-plane-api';
import type { LoadRequest } from './http-load';
import type { BenchClient } from './oauth2-references';

export const SCOPES = ['billing:read', 'billing:write'];
export const SCOPE = 'billing:read';

/** Registers `count` confidential client_credentials clients, 8 at a time. */
export async function registerClients(
  cpUrl: string,
  auth: Record<string, string>,
  tenantId: string,
  count: number,
): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        const i = next++;
        const { client_id, client_secret } = await json<BenchClient>(
          await jsonPost(
            `${cpUrl}/v1/tenants/${tenantId}/clients`,
            {
              name: `bench machine ${i}`,
              type: 'confidential',
              grant_types: ['client_credentials'],
              scopes: SCOPES,
            },
            auth,
          ),
          'register client',
        );
        clients[i] = { client_id, client_secret };
      }
    }),
  );
  return clients;
}

/** RFC 6749 §2.3.1: id and secret form-urlencoded, then joined and base64'd. */
const basic = (client: BenchClient): string =>
  `Basic ${Buffer.from(
    `${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`,
  ).toString('base64')}`;

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };

/** One token request per client, as every server gets them (plus `extra` fields). */
export const tokenRequests = (
  clients: BenchClient[],
  extra: Record<string, string> = {},
): LoadRequest[] =>
  clients.map((client) => ({
    headers: { ...FORM, authorization: basic(client) },
    body: form({ grant_type: 'client_credentials', scope: SCOPE, ...extra }),
  }));

/** Each client introspects the token it was issued itself. */
export const introspectionRequests = (clients: BenchClient[], tokens: string[]): LoadRequest[] =>
  clients.map((client, i) => ({
    headers: { ...FORM, authorization: basic(client) },
    body: form({ token: tokens[i] ?? '', token_type_hint: 'access_token' }),
  }));

/** Obtains one token per client (`extra` fields added), 8 requests at a time, with the answer. */
export async function obtainTokens(
  url: string,
  clients: BenchClient[],
  extra: Record<string, string> = {},
): Promise<{ tokens: string[]; answer: Record<string, unknown> }> {
  const tokens: string[] = [];
  let answer: Record<string, unknown> = {};
  let next = 0;
  const requests = tokenRequests(clients, extra);
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < requests.length) {
        const i = next++;
        const one = requests[i];
        if (!one) break;
        answer = await json<Record<string, unknown>>(
          await fetchRetrying(url, {
            method: 'POST',
            headers: { ...one.headers, 'x-forwarded-for': `198.19.255.${i % 256}` },
            body: one.body,
          }),
          `token from ${url}`,
        );
        tokens[i] = String(answer.access_token);
      }
    }),
  );
  return { tokens, answer };
}

/** The JOSE header of a JWT, or {} for anything else. */
export function jwtHeader(token: string | undefined): { alg?: string; typ?: string; kid?: string } {
  try {
    const [header = ''] = (token ?? '').split('.');
    return JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string };
  } catch {
    return {};
  }
}
