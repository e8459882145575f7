import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createKnex } from '@hellojohn/dal';

// Test-only connection settings; production configuration goes through @hellojohn/config.
// eslint-disable-next-line no-restricted-properties -- test harness reads its own HJ_TEST_* variables
const testEnv = process.env;

export const POSTGRES_URL =
  testEnv.HJ_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_URL = testEnv.HJ_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';
export const RABBITMQ_URL = testEnv.HJ_TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export const uniqueName = (prefix: string): string => `${prefix}_${randomBytes(5).toString('hex')}`;

/** A fresh database on a real server, for one test file's control plane. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  const admin = createKnex(serverUrl);
  try {
    await admin.raw(`CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  const admin = createKnex(serverUrl);
  try {
    const force = serverUrl.startsWith('postgres') ? ' WITH (FORCE)' : '';
    await admin.raw(`DROP DATABASE IF EXISTS ${name}${force}`);
  } finally {
    await admin.destroy();
  }
}

/**
 * A RabbitMQ virtual host of its own, so fixed queue names (`data-plane.provisioning`, ...) never
 * meet another run's messages. Returns the broker URL for it and a cleanup.
 */
export function createVhost(): { url: string; remove(): void } {
  const vhost = uniqueName('hj-test');
  execFileSync('rabbitmqctl', ['-q', 'add_vhost', vhost]);
  execFileSync('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
  return {
    url: `${RABBITMQ_URL}/${vhost}`,
    remove() {
      execFileSync('rabbitmqctl', ['-q', 'delete_vhost', vhost]);
    },
  };
}

/**
 * What one test's control plane runs on in the production shape: a fresh PostgreSQL database
 * (`name`, at `databaseUrl`) and a RabbitMQ virtual host of its own (`rabbitmqUrl`). `remove()`
 * deletes both.
 */
export async function createControlPlaneServices(prefix: string): Promise<{
  name: string;
  databaseUrl: string;
  rabbitmqUrl: string;
  remove(): Promise<void>;
}> {
  const name = uniqueName(prefix);
  const databaseUrl = await createDatabase(POSTGRES_URL, name);
  const vhost = createVhost();
  return {
    name,
    databaseUrl,
    rabbitmqUrl: vhost.url,
    async remove() {
      vhost.remove();
      await dropDatabase(POSTGRES_URL, name);
    },
  };
}
