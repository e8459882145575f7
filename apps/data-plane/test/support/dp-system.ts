import { freePort } from '@hellojohn/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@hellojohn/config';
import { createEvent, createEventBus, type EventBus } from '@hellojohn/events';
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
  /** A CP admin token as the control plane issues them (or with `overrides`, a forged one). */
  cpAdminToken(
    role: 'owner' | 'viewer',
    overrides?: { issuer?: string; audience?: string; key?: SigningKey },
  ): Promise<string>;
  /** The control plane's OAuth clients (register, change, delete: each publishes its event). */
  clients: FakeClients;
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

/** Serves what the data plane reads from the control plane: tenant config and the CP JWKS. */
async function startFakeControlPlane(
  tenants: Map<string, Record<string, unknown>>,
  jwks: PublicJwk[],
  clients: FakeClients,
): Promise<{ server: Server; url: string }> {
  const app = express();
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
  const cp = await startFakeControlPlane(tenants, [cpKey.jwk], clients);
  const dpPort = await freePort();
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
    async cpAdminToken(role, overrides = {}) {
      const { token } = await signAccessToken(overrides.key ?? cpKey.key, {
        issuer: overrides.issuer ?? cp.url,
        audience: overrides.audience ?? 'hellojohn:control-plane',
        subject: randomUUID(),
        tenantId: 'control-plane',
        scope: role === 'owner' ? 'cp:read cp:write' : 'cp:read',
        ttlSeconds: 300,
        extra: { role },
      });
      return token;
    },
    clients,
    tenantIds: () => [...tenants.keys()],
    async close() {
      await dp.close();
      await bus.close();
      await closeServer(cp.server);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
