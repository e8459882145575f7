// The local stack's pieces agree with each other: the images scripts/stack-images.sh builds, the
// ones docker-compose.local.yml swaps in, and the size budgets (read, not run: the real run is
// stack.system.test.ts behind HJ_STACK_TESTS=1).
import { join } from 'node:path';
import { argsOf, dockerfileOf, execFormOf, finalStage, globalArgsOf } from './support/dockerfile';
import { planes, readRepoFile, readYamlDocuments, repoFileExists, repoRoot } from './support/load';

interface ComposeFile {
  services: Record<string, { image?: string }>;
}

const [base] = readYamlDocuments(join(repoRoot, 'docker-compose.yml')) as ComposeFile[];
const [local] = readYamlDocuments(join(repoRoot, 'docker-compose.local.yml')) as ComposeFile[];
const { version } = JSON.parse(readRepoFile('package.json')) as { version: string };
const stackEnv = readRepoFile('scripts/stack-env.sh');
const budgets = (
  JSON.parse(readRepoFile('deploy/docker/image-budgets.json')) as {
    budgets: Record<string, number>;
  }
).budgets;

/** `service:image` pairs of LOCAL_SERVICE_IMAGES=(...) in scripts/stack-env.sh. */
const builtLocally = new Map(
  /LOCAL_SERVICE_IMAGES=\(([^)]*)\)/
    .exec(stackEnv)![1]!
    .trim()
    .split(/\s+/)
    .map((entry) => {
      const colon = entry.indexOf(':');
      return [entry.slice(0, colon), entry.slice(colon + 1)] as const;
    }),
);

describe('docker-compose.local.yml', () => {
  it('swaps every official image of docker-compose.yml for one built here, and nothing else', () => {
    const official = Object.entries(base!.services)
      .filter(([, service]) => !service.image?.startsWith('hellojohn/'))
      .map(([name]) => name);
    const swapped = Object.entries(local!.services)
      .filter(([, service]) => !service.image?.startsWith('hellojohn/control-plane'))
      .filter(([, service]) => !service.image?.startsWith('hellojohn/data-plane'))
      .map(([name]) => name);
    expect(swapped.sort()).toEqual(official.sort());
  });

  it('names the images scripts/stack-images.sh builds from deploy/docker/local/', () => {
    const byDockerfile = new Map<string, string>([
      ['postgres', 'postgres'],
      ['rabbitmq', 'rabbitmq'],
      ['redis', 'redis'],
      ['data-plane-lb', 'haproxy'],
    ]);
    for (const [service, dockerfile] of byDockerfile) {
      expect([service, local!.services[service]?.image]).toEqual([
        service,
        builtLocally.get(dockerfile),
      ]);
      expect(repoFileExists(`deploy/docker/local/${dockerfile}.Dockerfile`)).toBe(true);
    }
  });

  it('runs the planes at the tag the build script gives them', () => {
    expect(stackEnv).toContain('PLANE_IMAGES=(control-plane data-plane)');
    for (const plane of planes) {
      expect(local!.services[plane]?.image).toBe(`hellojohn/${plane}:${version}`);
      expect(base!.services[plane]?.image).toBe(`hellojohn/${plane}:${version}`);
    }
  });
});

describe.each(['postgres', 'rabbitmq', 'redis', 'haproxy'])(
  'deploy/docker/local/%s.Dockerfile',
  (name) => {
    const stages = dockerfileOf(`local/${name}`);
    const runtime = finalStage(stages);

    it('is made from Debian packages on the debootstrapped base, under tini', () => {
      expect(globalArgsOf(`local/${name}`)).toEqual({
        DEBIAN_BASE: 'hellojohn/debian-base:bookworm',
      });
      expect(stages.map((stage) => stage.from)).toEqual(['${DEBIAN_BASE}']);
      expect(argsOf(runtime, 'RUN').join('\n')).toMatch(/apt-get install -y .* tini/);
      expect(execFormOf(runtime, 'ENTRYPOINT').slice(0, 2)).toEqual(['/usr/bin/tini', '--']);
      expect(argsOf(runtime, 'LABEL').join(' ')).toContain(
        `org.opencontainers.image.title="hellojohn-${name}"`,
      );
    });
  },
);

describe('deploy/docker/image-budgets.json', () => {
  it('budgets every image the build script makes', () => {
    const images = [
      'hellojohn/debian-base:bookworm',
      'hellojohn/node-base:20',
      ...builtLocally.values(),
      ...[...planes, 'mcp-server'].map((app) => `hellojohn/${app}:${version}`),
    ];
    expect(Object.keys(budgets).sort()).toEqual(images.sort());
    expect(stackEnv).toContain('DEBIAN_BASE_IMAGE=hellojohn/debian-base:bookworm');
    expect(stackEnv).toContain('NODE_BASE_IMAGE=hellojohn/node-base:20');
    for (const mb of Object.values(budgets)) expect(mb).toBeGreaterThan(0);
  });
});
