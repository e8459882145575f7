import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@hellojohn/config';
import { createInProcessBus, type EventEnvelope } from '@hellojohn/events';
import { createLogger, createMetrics } from '@hellojohn/http';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createDeps, type Deps } from '../../src/deps';

export const OWNER = { email: 'owner@example.com', password: 'owner-password-123' };

export interface CpApp {
  app: Express;
  deps: Deps;
  /** Every event the control plane published, in order. */
  events: EventEnvelope[];
  token(credentials?: { email: string; password: string }): Promise<string>;
  /** Waits until the relay has published everything in the outbox. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The control plane alone, over `createApp(deps)` (no listening socket), on SQLite by default or
 * on `databaseUrl`, with an in-process bus whose every event the test can read.
 */
export async function startCpApp(
  databaseUrl?: string,
  env: Record<string, string> = {},
): Promise<CpApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hj-cp-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HJ_DATA_DIR: dataDir,
    HJ_CP_DATABASE_URL: databaseUrl ?? `sqlite:${join(dataDir, 'cp.db')}`,
    HJ_ADMIN_EMAIL: OWNER.email,
    HJ_ADMIN_PASSWORD: OWNER.password,
    HJ_BCRYPT_COST: '4',
    HJ_LOG_LEVEL: 'silent',
    HJ_PUBLIC_URL: 'https://id.example.com',
    ...env,
  });
  const logger = createLogger({ name: 'cp-test', level: 'silent' });
  // With HJ_RABBITMQ_URL the control plane makes its own RabbitMQ bus, as deployed.
  const bus = config.rabbitmqUrl ? undefined : createInProcessBus({ logger });
  const events: EventEnvelope[] = [];
  await bus?.subscribe(
    { name: 'test-observer', mode: 'exclusive', routingKeys: ['#'] },
    async (event) => {
      events.push(event);
    },
  );
  const deps = await createDeps(config, logger, { bus });
  await deps.modules.admins.service.bootstrap(config.adminEmail, config.adminPassword);
  const app = createApp(deps, createMetrics('control_plane_test'));
  const tokens = new Map<string, string>();
  return {
    app,
    deps,
    events,
    async token(credentials = OWNER) {
      const cached = tokens.get(credentials.email);
      if (cached) return cached;
      const res = await request(app).post('/v1/auth/sign-in').send(credentials).expect(200);
      const token = (res.body as { access_token: string }).access_token;
      tokens.set(credentials.email, token);
      return token;
    },
    async flush() {
      await deps.relay.flush();
      // In-process delivery is asynchronous: let the observer run.
      await new Promise((resolve) => setTimeout(resolve, 20));
    },
    async close() {
      await deps.close();
      await bus?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
