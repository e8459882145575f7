import { join } from 'node:path';
import { loadConfig } from '@hellojohn/config';
import { argsOf, dockerfileOf, envOf, finalStage } from './support/dockerfile';
import type { Plane } from './support/load';
import { k8sDir } from './support/load';
import {
  knownHjNames,
  planes,
  readRepoFile,
  readYamlDocuments,
  repoFileExists,
  repoRoot,
} from './support/load';

interface ComposeService {
  image?: string;
  command?: string[];
  expose?: string[];
  read_only?: boolean;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const { version } = JSON.parse(readRepoFile('package.json')) as { version: string };
const [kustomization] = readYamlDocuments(join(k8sDir, 'kustomization.yaml')) as Array<{
  images: Array<{ name: string; newTag: string }>;
}>;

it('tags the planes alike in compose, deploy/k8s and the package version', () => {
  for (const plane of planes) {
    expect(kustomization!.images.find((i) => i.name === `hellojohn/${plane}`)?.newTag).toBe(
      version,
    );
  }
});

const [compose] = readYamlDocuments(join(repoRoot, 'docker-compose.yml')) as Compose[];
const services = compose!.services;
const backing = ['postgres', 'rabbitmq', 'redis'];

/** `${NAME:-default}` as compose interpolates it with NAME unset. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+):-([^}]*)\}/g, (_, _name: string, fallback: string) => fallback);
}

function serviceEnv(name: string): Record<string, string> {
  const environment = services[name]?.environment ?? {};
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [key, interpolate(String(value))]),
  );
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL 16, RabbitMQ 3.13 and Redis 7 with real health checks', () => {
    expect(services.postgres?.image).toBe('postgres:16');
    expect(services.rabbitmq?.image).toBe('rabbitmq:3.13-management');
    expect(services.redis?.image).toBe('redis:7');
    expect(services.postgres?.healthcheck?.test).toContain('pg_isready');
    expect(services.rabbitmq?.healthcheck?.test).toEqual([
      'CMD',
      'rabbitmq-diagnostics',
      '-q',
      'ping',
    ]);
    expect(services.redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it('uses only HJ_* names the configuration knows', () => {
    const names = Object.keys(services).flatMap((name) => Object.keys(serviceEnv(name)));
    const hj = names.filter((name) => name.startsWith('HJ_'));
    expect(hj.length).toBeGreaterThan(10);
    expect(hj.filter((name) => !knownHjNames.has(name))).toEqual([]);
  });

  it('declares every named volume it mounts', () => {
    const mounted = Object.values(services)
      .flatMap((service) => service.volumes ?? [])
      .map((volume) => volume.split(':')[0]!)
      .filter((source) => !source.startsWith('.') && !source.startsWith('/'));
    expect(new Set(mounted)).toEqual(new Set(Object.keys(compose!.volumes ?? {})));
  });

  it('creates the databases and roles the planes connect with', () => {
    const init = services.postgres?.volumes?.find((v) =>
      v.endsWith(':/docker-entrypoint-initdb.d:ro'),
    );
    expect(init).toBeDefined();
    const script = readRepoFile(join(init!.split(':')[0]!, '10-hellojohn.sh'));
    // psql variable -> environment variable, e.g. -v cp_password="$HELLOJOHN_CP_DB_PASSWORD"
    const variables = new Map(
      [...script.matchAll(/-v (\w+)="\$(\w+)"/g)].map((m) => [
        m[1]!,
        serviceEnv('postgres')[m[2]!],
      ]),
    );
    const roles = new Map(
      [...script.matchAll(/CREATE ROLE (\w+) ([^;]*)PASSWORD :'(\w+)'/g)].map((m) => [
        m[1]!,
        { password: variables.get(m[3]!), createdb: m[2]!.includes('CREATEDB') },
      ]),
    );
    const globalDb = new URL(serviceEnv('control-plane').HJ_CP_DATABASE_URL!);
    expect(script).toContain(
      `CREATE DATABASE ${globalDb.pathname.slice(1)} OWNER ${globalDb.username}`,
    );
    expect(roles.get(globalDb.username)?.password).toBe(globalDb.password);
    const tenantServer = new URL(serviceEnv('data-plane').HJ_TENANT_DATABASE_URL!);
    expect(roles.get(tenantServer.username)).toEqual({
      password: tenantServer.password,
      createdb: true,
    });
  });

  it('gives the planes the RabbitMQ user the broker creates', () => {
    const broker = new URL(serviceEnv('control-plane').HJ_RABBITMQ_URL!);
    expect(broker.username).toBe(serviceEnv('rabbitmq').RABBITMQ_DEFAULT_USER);
    expect(broker.password).toBe(serviceEnv('rabbitmq').RABBITMQ_DEFAULT_PASS);
  });
});

describe.each(planes)('the %s compose service', (plane: Plane) => {
  const service = services[plane]!;
  const runtime = finalStage(dockerfileOf(plane));
  const env = serviceEnv(plane);
  const port = Number(argsOf(runtime, 'EXPOSE')[0]);

  it('builds from its Dockerfile with the repository root as context', () => {
    expect(service.build).toEqual({
      context: '.',
      dockerfile: `deploy/docker/${plane}.Dockerfile`,
    });
    expect(repoFileExists(service.build!.dockerfile)).toBe(true);
  });

  it('health-checks the port the image exposes', () => {
    expect(service.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/healthz`);
  });

  it('runs the image tag deploy/k8s pins, hardened as in Kubernetes', () => {
    expect(service.image).toBe(`hellojohn/${plane}:${version}`);
    expect(service.read_only).toBe(true);
  });

  it('waits for every service its URLs name to be healthy', () => {
    const hosts = Object.entries(env)
      .filter(
        ([name, value]) =>
          name.endsWith('_URL') && name !== 'HJ_PUBLIC_URL' && value.includes('://'),
      )
      .map(([, value]) => new URL(value).hostname);
    const needed = [...new Set(hosts)].filter((host) => host in services && host !== plane);
    expect(needed).toEqual(
      expect.arrayContaining(
        plane === 'data-plane' ? [...backing, 'control-plane'] : ['postgres', 'rabbitmq'],
      ),
    );
    for (const host of needed) {
      expect([host, service.depends_on?.[host]?.condition]).toEqual([host, 'service_healthy']);
    }
  });

  it('is a valid production configuration that migrates at start', () => {
    const config = loadConfig({ ...envOf(runtime), ...env });
    expect(config.nodeEnv).toBe('production');
    expect(config.autoMigrate).toBe(true);
    expect(plane === 'control-plane' ? config.cpPort : config.dpPort).toBe(port);
  });

  it('outlives the 15 s drain when stopped', () => {
    expect(Number(/^(\d+)s$/.exec(service.stop_grace_period ?? '')?.[1])).toBeGreaterThan(15);
  });
});

describe('published ports', () => {
  it("are only the planes': the control plane itself, the data plane through its load balancer", () => {
    const publishing = Object.entries(services)
      .filter(([, service]) => (service.ports ?? []).length > 0)
      .map(([name, service]) => [name, (service.ports ?? []).map(interpolate)]);
    expect(Object.fromEntries(publishing)).toEqual({
      'control-plane': ['8081:8081'],
      'data-plane-lb': ['8080:8080'],
    });
    // Host ports are movable without editing the file (the system test uses 18081/18080).
    expect(services['control-plane']!.ports).toEqual(['${HELLOJOHN_CP_PORT:-8081}:8081']);
    expect(services['data-plane-lb']!.ports).toEqual(['${HELLOJOHN_DP_PORT:-8080}:8080']);
    expect(compose!.services['control-plane']!.environment!.HJ_PUBLIC_URL).toBe(
      'http://localhost:${HELLOJOHN_DP_PORT:-8080}',
    );
  });

  it('let the data plane scale: no published port, HAProxy finds every replica by DNS', () => {
    const dp = services['data-plane']!;
    expect(dp.ports).toBeUndefined();
    expect(dp.expose).toEqual(['8080']);
    const lb = services['data-plane-lb']!;
    expect(lb.depends_on?.['data-plane']?.condition).toBe('service_healthy');
    const mount = lb.volumes?.find((v) => v.endsWith(':/usr/local/etc/haproxy/haproxy.cfg:ro'));
    const cfg = readRepoFile(mount!.split(':')[0]!);
    expect(lb.command?.join(' ')).toContain('-f /usr/local/etc/haproxy/haproxy.cfg');
    expect(cfg).toMatch(/^\s*bind :8080$/m);
    expect(cfg).toMatch(/^\s*server-template dp \d+ data-plane:8080$/m);
    expect(cfg).toMatch(/^\s*option httpchk GET \/readyz$/m);
    expect(cfg).toMatch(/^\s*option forwardfor$/m);
    // One trusted hop: HAProxy's X-Forwarded-For entry, so rate limits count clients.
    expect(serviceEnv('data-plane').HJ_TRUST_PROXY).toBe('1');
  });
});

it('gives each plane its own master key and both the same internal token', () => {
  const [cp, dp] = planes.map(serviceEnv);
  expect(cp!.HJ_MASTER_KEY).not.toBe(dp!.HJ_MASTER_KEY);
  expect(cp!.HJ_INTERNAL_TOKEN).toBe(dp!.HJ_INTERNAL_TOKEN);
});
