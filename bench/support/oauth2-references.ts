/**
 * What the OAuth 2.0 bench measures HelloJohn against, each on its own loopback port in this
 * process: oidc-provider 9 in memory (the reference Node OpenID Provider), a bare Express app that
 * answers constant JSON (the ceiling of any Express route on this machine), and HelloJohn's own
 * HTTP stack answering constant JSON from a form endpoint (the ceiling of a HelloJohn route).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { Express } from 'express';
import Provider, { errors } from 'oidc-provider';
import { z } from 'zod';
import {
  closeServer,
  createApiRouter,
  createLogger,
  createMetrics,
  createServiceApp,
  endpoint,
  listen,
} from '@hellojohn/http';

/**
 * The Express HelloJohn serves on: `@hellojohn/http`'s own dependency, resolved from that package
 * (the root package.json, which the benches belong to, does not list express), so the ceiling runs
 * the very version the data plane does.
 */
const express = createRequire(require.resolve('@hellojohn/http'))('express') as () => Express;

/** A registered confidential client: the same id and secret on every server. */
export interface BenchClient {
  client_id: string;
  client_secret: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** The resource indicator (RFC 8707) under which oidc-provider issues JWT access tokens. */
export const OIDC_PROVIDER_RESOURCE = 'urn:hellojohn:bench:api';

/**
 * oidc-provider 9 with its default in-memory adapter (`MemoryAdapter`, an LRU of 1000 entries),
 * the clients given (client_secret_basic, client_credentials only) and:
 * - `features.clientCredentials` and `features.introspection` enabled;
 * - `features.resourceIndicators`: a token request naming `resource=OIDC_PROVIDER_RESOURCE` gets
 *   an RFC 9068 JWT access token signed with Ed25519 (`EdDSA`, as HelloJohn's are) and not
 *   stored; a request without `resource` gets oidc-provider's default, an opaque token stored in
 *   the adapter. oidc-provider introspects opaque tokens only ("Structured JWT Tokens cannot be
 *   introspected"), so introspection is measured on the opaque kind.
 */
export async function startOidcProvider(
  clients: readonly BenchClient[],
  scopes: readonly string[],
  ttlSeconds: number,
): Promise<RunningServer> {
  const signingKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  const issuer = `http://127.0.0.1:${address.port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((client) => ({
      ...client,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: scopes.join(' '),
    })),
    jwks: { keys: [{ ...signingKey, kid: 'bench-ed25519', alg: 'EdDSA', use: 'sig' }] },
    clientDefaults: { id_token_signed_response_alg: 'EdDSA' },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: [...scopes],
    ttl: { ClientCredentials: ttlSeconds },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== OIDC_PROVIDER_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: scopes.join(' '),
            audience: OIDC_PROVIDER_RESOURCE,
            accessTokenTTL: ttlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'EdDSA' } },
          };
        },
      },
    },
  });
  server.on('request', provider.callback());
  return { url: issuer, close: () => closeServer(server) };
}

/**
 * A bare Express 5 app answering `body` as JSON to `GET` and `POST /constant`: no middleware at
 * all, the ceiling of any Express route on this machine.
 */
export async function startBareExpress(body: unknown): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  const answer = (_req: unknown, res: { json(body: unknown): void }): void => {
    res.json(body);
  };
  app.get('/constant', answer).post('/constant', answer);
  const { server, port } = await listen(app, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

/**
 * HelloJohn's HTTP stack (`createServiceApp`: helmet, security headers, request id and access log
 * at level silent, metrics, the endpoint's form parsing and zod checks, `Cache-Control: no-store`)
 * answering `body` to `POST /token` with no tenant, no client, no token: what every HelloJohn
 * OAuth endpoint pays before it does any work.
 */
export async function startStackCeiling(body: Record<string, unknown>): Promise<RunningServer> {
  const logger = createLogger({ name: 'bench-ceiling', level: 'silent' });
  const constant = endpoint(
    {
      summary: 'Constant answer (bench ceiling)',
      tags: ['bench'],
      accepts: 'form',
      errorFormat: 'oauth',
      body: z.object({ grant_type: z.string(), scope: z.string().optional() }),
      response: z.record(z.string(), z.unknown()),
      oauthErrors: ['invalid_request'],
    },
    async function constantAnswer() {
      return body;
    },
  );
  const app = createServiceApp({
    logger,
    metrics: createMetrics('bench_ceiling'),
    readiness: {},
    openapi: { title: 'bench', version: '1', description: 'bench', serverUrl: 'http://127.0.0.1' },
    apis: [createApiRouter().post('/token', constant)],
  });
  const { server, port } = await listen(app, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}
