import { deleteRedisKeys, freePort, testRedisPrefix } from '@hellojohn/testing';
import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@hellojohn/config';
import { createEvent, createEventBus, PLATFORM_TENANT_ID, type EventBus } from '@hellojohn/events';
import { closeServer, createLogger, listen } from '@hellojohn/http';
import {
  generateSigningKey,
  loadPrivateKey,
  signAccessToken,
  type PublicJwk,
  type SigningKey,
} from '@hellojohn/tokens';
import express from 'express';
import { startDataPlane, type RunningDataPlane } from '../../src/server';
import { createFakeClients, type FakeClients } from './fake-clients';

const INTERNAL_TOKEN = 'dp-test-internal-token-0123456789abcdef';

export interface TestTenant {
  id: string;
  slug: string;
  issuer: string;
}

/** The data plane, really listening, behind a fake control plane the test controls. */
export interface DpSystem {
  dp: RunningDataPlane;
  /** The fake control plane's URL (`HJ_CP_URL`). */
  cpUrl: string;
  /** `HJ_TENANT_DATABASE_URL` the data plane runs on. */
  tenantServerUrl: string;
  /** Registers a tenant at the fake control plane and waits until the data plane provisioned it. */
  createTenant(slugPrefix: string, settings?: Record<string, unknown>): Promise<TestTenant>;
  /**
   * A CP admin token as the control plane issues them (or with `overrides`, a forged one);
   * `grant` names the admin, its tenants (default every one) and its session.
   */
  cpAdminToken(
    role: 'owner' | 'admin' | 'viewer',
    overrides?: { issuer?: string; audience?: string; key?: SigningKey },
    grant?: { adminId?: string; tenants?: '*' | string[]; sessionId?: string },
  ): Promise<string>;
  /** The control plane's operator side, as the test drives it. */
  operators: {
    /** Registers an API key with the fake control plane; returns the key and its id. */
    addApiKey(
      role: 'owner' | 'admin' | 'viewer',
      tenants?: '*' | string[],
    ): { key: string; id: string };
    /** Revokes a key at the control plane and publishes `api_key.revoked`. */
    revokeApiKey(id: string): Promise<void>;
    /** Records an admin revocation and publishes `admin.revoked`. */
    revokeAdmin(adminId: string, sessionId?: string): Promise<void>;
    /** Makes the control plane's operator routes answer 503 (true) or work again. */
    setDown(down: boolean): void;
  };
  /** The control plane's OAuth clients (register, change, delete: each publishes its event). */
  clients: FakeClients;
  /**
   * The tenant's upstream identity providers as the internal API serves them (features/federation):
   * replaced whole, then `identity_provider.updated` is published so the data plane reads them again.
   */
  identityProviders: { set(tenantId: string, providers: unknown[]): Promise<void> };
  /** Ids of every tenant created (their databases, to drop). */
  tenantIds(): string[];
  close(): Promise<void>;
}

/** A signing key like the control plane's own (Ed25519, sealed then loaded). */
export async function newCpKey(): Promise<{ key: SigningKey; jwk: PublicJwk }> {
  const masterKey = randomBytes(32);
  const aad = (kid: string): string => `control-plane:signing-key:${kid}`;
  const generated = await generateSigningKey(masterKey, { aad });
  const key = await loadPrivateKey(masterKey, generated, aad(generated.kid));
  return { key, jwk: generated.publicJwk };
}

/** What the fake control plane knows about operators (API keys, admin revocations). */
interface FakeOperators {
  /** Key -> the internal API's answer about it. */
  apiKeys: Map<string, { id: string; role: string; tenants: '*' | string[]; valid_until: null }>;
  revocations: Array<{ admin_id: string; session_id: string | null; revoked_at: string }>;
  /** While true, the operator routes answer 503, as an unreachable control plane would. */
  down: boolean;
}

/** Serves what the data plane reads from the control plane: tenant config and the CP JWKS. */
async function startFakeControlPlane(
  tenants: Map<string, Record<string, unknown>>,
  jwks: PublicJwk[],
  clients: FakeClients,
  operators: FakeOperators,
  identityProviders: Map<string, unknown[]> = new Map(),
): Promise<{ server: Server; url: string }> {
  const app = express();
  const internalOnly: express.RequestHandler = (req, res, next) => {
    if (req.get('authorization') !== `Bearer ${INTERNAL_TOKEN}`) {
      res.status(401).json({ code: 'unauthenticated' });
    } else if (operators.down) {
      res.status(503).json({ code: 'service_unavailable' });
    } else next();
  };
  app.post('/internal/v1/api-keys/verify', express.json(), internalOnly, (req, res) => {
    const found = operators.apiKeys.get((req.body as { key?: string }).key ?? '');
    if (found) res.json(found);
    else res.status(404).json({ code: 'api_key_not_found' });
  });
  app.get('/internal/v1/admin-revocations', internalOnly, (_req, res) => {
    res.json({ data: operators.revocations });
  });
  app.get('/.well-known/jwks.json', (_req, res) => {
    res.json({ keys: jwks });
  });
  app.get('/internal/v1/tenants/:ref', (req, res) => {
    if (req.get('authorization') !== `Bearer ${INTERNAL_TOKEN}`) {
      res.status(401).json({ code: 'unauthenticated' });
      return;
    }
    const tenant = [...tenants.values()].find(
      (t) => t.id === req.params.ref || t.slug === req.params.ref,
    );
    if (tenant) res.json(tenant);
    else res.status(404).json({ code: 'tenant_not_found' });
  });
  const tenantIdOf = (ref: string): string | undefined => {
    const tenant = [...tenants.values()].find((t) => t.id === ref || t.slug === ref);
    return typeof tenant?.id === 'string' ? tenant.id : undefined;
  };
  app.get(
    '/internal/v1/tenants/:tenant/clients',
    (req, res, next) => {
      if (req.get('authorization') === `Bearer ${INTERNAL_TOKEN}`) next();
      else res.status(401).json({ code: 'unauthenticated' });
    },
    clients.listRoute(tenantIdOf),
  );
  app.get(
    '/internal/v1/tenants/:tenant/clients/:client_id',
    (req, res, next) => {
      if (req.get('authorization') === `Bearer ${INTERNAL_TOKEN}`) next();
      else res.status(401).json({ code: 'unauthenticated' });
    },
    clients.route(tenantIdOf),
  );
  app.get(
    '/internal/v1/tenants/:tenant/resources',
    (req, res, next) => {
      if (req.get('authorization') === `Bearer ${INTERNAL_TOKEN}`) next();
      else res.status(401).json({ code: 'unauthenticated' });
    },
    clients.resourcesRoute(tenantIdOf),
  );
  app.get('/internal/v1/tenants/:tenant/identity-providers', internalOnly, (req, res) => {
    res.json({ data: identityProviders.get(String(req.params.tenant)) ?? [] });
  });
  const { server, port } = await listen(app, 0, '127.0.0.1');
  return { server, url: `http://127.0.0.1:${port}` };
}

/**
 * Starts the data plane alone (apps never import apps), wired as `npm start` wires it, with an
 * in-process bus. Tenants are provisioned by publishing `tenant.created` the way the control
 * plane's outbox would, and become active once the data plane answers `tenant.provisioned`.
 */
export async function startDpSystem(env: Record<string, string> = {}): Promise<DpSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hj-dp-auth-'));
  const tenants = new Map<string, Record<string, unknown>>();
  const cpKey = await newCpKey();
  // The fake control plane starts first; its client events go out on the bus made below.
  const busRef: { current?: EventBus } = {};
  const clients = createFakeClients(() => {
    if (!busRef.current) throw new Error('the bus is not started yet');
    return busRef.current;
  });
  const operators: FakeOperators = { apiKeys: new Map(), revocations: [], down: false };
  const identityProviders = new Map<string, unknown[]>();
  const cp = await startFakeControlPlane(
    tenants,
    [cpKey.jwk],
    clients,
    operators,
    identityProviders,
  );
  const dpPort = await freePort();
  // On a shared Redis (the services variants), keys of this system alone, deleted at close.
  const redisKeyPrefix = env.HJ_REDIS_URL ? testRedisPrefix() : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    HJ_DATA_DIR: dataDir,
    HJ_CP_DATABASE_URL: `sqlite:${join(dataDir, 'control-plane.db')}`,
    HJ_TENANT_DATABASE_URL: `sqlite:${join(dataDir, 'tenants')}`,
    HJ_DP_PORT: String(dpPort),
    HJ_HOST: '127.0.0.1',
    HJ_CP_URL: cp.url,
    HJ_PUBLIC_URL: `http://127.0.0.1:${dpPort}`,
    HJ_INTERNAL_TOKEN: INTERNAL_TOKEN,
    HJ_BCRYPT_COST: '4',
    HJ_LOG_LEVEL: 'silent',
    ...(redisKeyPrefix ? { HJ_REDIS_KEY_PREFIX: redisKeyPrefix } : {}),
    ...env,
  });
  const logger = createLogger({ name: 'dp-auth-test', level: config.logLevel });
  // In process, unless the env names a broker (HJ_RABBITMQ_URL: the services variants).
  const bus: EventBus = createEventBus({
    url: config.rabbitmqUrl,
    logger,
    connectionName: 'dp-test',
  });
  busRef.current = bus;
  const provisioned = new Map<string, () => void>();
  await bus.subscribe(
    { name: 'test.tenant-status', mode: 'exclusive', routingKeys: ['tenant.provisioned'] },
    async function markActive(event) {
      const tenant = tenants.get(event.tenant_id);
      if (tenant) tenant.status = 'active';
      provisioned.get(event.tenant_id)?.();
    },
  );
  const dp = await startDataPlane(config, logger, { bus, port: dpPort });

  return {
    dp,
    cpUrl: cp.url,
    tenantServerUrl: config.tenantDatabaseUrl,
    async createTenant(slugPrefix, settings = {}) {
      const id = randomUUID();
      const slug = `${slugPrefix}-${randomBytes(4).toString('hex')}`;
      const issuer = `${config.publicUrl}/t/${slug}`;
      const database = { mode: 'managed' as const };
      tenants.set(id, { id, slug, name: slug, status: 'provisioning', issuer, settings, database });
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`tenant ${slug} was not provisioned`));
        }, 30_000);
        provisioned.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      await bus.publish(
        createEvent('tenant.created', id, { slug, name: slug, issuer, database, settings }),
      );
      await done;
      dp.deps.directory.invalidate(id);
      return { id, slug, issuer };
    },
    async cpAdminToken(role, overrides = {}, grant = {}) {
      const { token } = await signAccessToken(overrides.key ?? cpKey.key, {
        issuer: overrides.issuer ?? cp.url,
        audience: overrides.audience ?? 'hellojohn:control-plane',
        subject: grant.adminId ?? randomUUID(),
        tenantId: 'control-plane',
        sessionId: grant.sessionId ?? randomUUID(),
        scope: role === 'viewer' ? 'cp:read' : 'cp:read cp:write',
        ttlSeconds: 300,
        extra: { role, tenants: grant.tenants ?? '*' },
      });
      return token;
    },
    operators: {
      addApiKey(role, grantTenants = '*') {
        const key = `hjk_${randomBytes(32).toString('base64url')}`;
        const id = randomUUID();
        operators.apiKeys.set(key, { id, role, tenants: grantTenants, valid_until: null });
        return { key, id };
      },
      async revokeApiKey(id) {
        for (const [key, entry] of operators.apiKeys) {
          if (entry.id === id) operators.apiKeys.delete(key);
        }
        await bus.publish(createEvent('api_key.revoked', PLATFORM_TENANT_ID, { api_key_id: id }));
      },
      async revokeAdmin(adminId, sessionId) {
        const revokedAt = new Date().toISOString();
        operators.revocations.push({
          admin_id: adminId,
          session_id: sessionId ?? null,
          revoked_at: revokedAt,
        });
        await bus.publish(
          createEvent('admin.revoked', PLATFORM_TENANT_ID, {
            admin_id: adminId,
            ...(sessionId === undefined ? {} : { session_id: sessionId }),
            revoked_at: revokedAt,
          }),
        );
      },
      setDown(down) {
        operators.down = down;
      },
    },
    clients,
    identityProviders: {
      async set(tenantId, providers) {
        identityProviders.set(tenantId, providers);
        await bus.publish(
          createEvent('identity_provider.updated', tenantId, { identity_provider_id: 'any' }),
        );
      },
    },
    tenantIds: () => [...tenants.keys()],
    async close() {
      await dp.close();
      await bus.close();
      await closeServer(cp.server);
      if (config.redisUrl && redisKeyPrefix === config.redisKeyPrefix) {
        const redis = new Redis(config.redisUrl);
        await deleteRedisKeys(redis, redisKeyPrefix).finally(() => {
          redis.disconnect();
        });
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
