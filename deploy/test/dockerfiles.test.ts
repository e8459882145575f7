import { posix } from 'node:path';
import {
  argsOf,
  dockerfileOf,
  envOf,
  execFormOf,
  finalStage,
  firstLineOf,
  globalArgsOf,
} from './support/dockerfile';
import type { Plane } from './support/load';
import {
  defaultPort,
  knownHjNames,
  planes,
  portVariable,
  readRepoFile,
  repoFileExists,
} from './support/load';

describe.each(planes)('deploy/docker/%s.Dockerfile', (plane: Plane) => {
  const stages = dockerfileOf(plane);
  const runtime = finalStage(stages);
  const port = defaultPort(plane);

  it('builds with the tools better-sqlite3 compiles with', () => {
    const build = stages.find((stage) => argsOf(stage, 'RUN').some((r) => r.includes('npm ci')));
    expect(build).toBeDefined();
    const runs = argsOf(build!, 'RUN').join('\n');
    for (const tool of ['python3', 'make', 'g++']) expect(runs).toContain(` ${tool}`);
    expect(runs).toMatch(/npm prune --omit=dev|npm ci --omit=dev/);
  });

  it('builds the project whose package it ships', () => {
    const manifest = JSON.parse(readRepoFile(`apps/${plane}/package.json`)) as { name: string };
    const runs = stages.flatMap((stage) => argsOf(stage, 'RUN')).join('\n');
    expect(runs).toContain(`nx run ${manifest.name}:build`);
  });

  it('starts the plane from its compiled main, whose source exists', () => {
    expect(execFormOf(runtime, 'CMD')).toEqual(['node', `apps/${plane}/dist/main.js`]);
    expect(repoFileExists(`apps/${plane}/src/main.ts`)).toBe(true);
  });

  it('exposes the port the service listens on', () => {
    expect(argsOf(runtime, 'EXPOSE')).toEqual([String(port)]);
    expect(envOf(runtime)[portVariable[plane]]).toBe(String(port));
  });

  it('runs in production mode as a numeric non-root user', () => {
    expect(envOf(runtime).NODE_ENV).toBe('production');
    const user = argsOf(runtime, 'USER').at(-1);
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user!.split(':')[0])).toBeGreaterThan(0);
  });

  it('sets only known HJ_* variables', () => {
    const names = Object.keys(envOf(runtime)).filter((name) => name.startsWith('HJ_'));
    expect(names.filter((name) => !knownHjNames.has(name))).toEqual([]);
  });

  it('checks health with node fetch against /healthz on its port', () => {
    const check = execFormOf(runtime, 'HEALTHCHECK');
    expect(check.slice(0, 2)).toEqual(['node', '-e']);
    expect(check[2]).toContain('fetch(');
    expect(check[2]).toContain('/healthz');
    expect(check[2]).toContain(`process.env.${portVariable[plane]} || ${port}`);
  });

  it('copies no sources into the runtime image', () => {
    const copies = argsOf(runtime, 'COPY');
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.every((args) => args.startsWith('--from=build'))).toBe(true);
  });
});

describe('deploy/docker/control-plane.Dockerfile ships the operator console', () => {
  const stages = dockerfileOf('control-plane');
  const build = stages.find((stage) => stage.name === 'build')!;
  const runtime = finalStage(stages);
  const buildDir = argsOf(build, 'WORKDIR').at(-1)!;
  const runtimeDir = argsOf(runtime, 'WORKDIR').at(-1)!;

  it('builds it with vite in the build stage, before the dev dependencies (vite) are pruned', () => {
    const runs = argsOf(build, 'RUN');
    const consoleBuild = runs.findIndex(
      (run) => /^cd apps\/console\b/.test(run) && /\bvite build\b/.test(run),
    );
    const prune = runs.findIndex((run) => run.includes('npm prune --omit=dev'));
    expect(consoleBuild).toBeGreaterThanOrEqual(0);
    expect(prune).toBeGreaterThan(consoleBuild);
    // Vite writes where apps/console/vite.config.mts says.
    expect(readRepoFile('apps/console/vite.config.mts')).toMatch(/outDir: 'dist'/);
  });

  it('copies the built console to the directory serve-console.ts serves from', () => {
    // serve-console.ts finds the console relative to its own compiled file.
    const source = readRepoFile('apps/control-plane/src/console/serve-console.ts');
    const relativeDist = /const DEFAULT_DIST_DIR = join\(__dirname, '([^']+)'\);/.exec(source)?.[1];
    expect(relativeDist).toBeDefined();
    // tsc (rootDir src, outDir dist) compiles src/console/ to dist/console/.
    const tsconfig = JSON.parse(readRepoFile('apps/control-plane/tsconfig.json')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    expect(tsconfig.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    const compiledDir = posix.join(runtimeDir, 'apps/control-plane/dist/console');
    const expected = posix.resolve(compiledDir, relativeDist!);

    const copies = argsOf(runtime, 'COPY')
      .map((args) => args.split(/\s+/))
      .filter(([from, src]) => from === '--from=build' && src === `${buildDir}/apps/console/dist`)
      .map(([, , dest]) => posix.resolve(runtimeDir, dest!));
    expect(copies).toEqual([expected]);
  });
});

// What every image of the project's own apps shares (the MCP server's too, built the same way).
const apps = [...planes, 'mcp-server'] as const;

describe.each(apps)('deploy/docker/%s.Dockerfile, like every app image', (app) => {
  const stages = dockerfileOf(app);
  const runtime = finalStage(stages);

  it('takes its base image as a build argument, the official Node 20 slim image by default', () => {
    expect(globalArgsOf(app)).toEqual({ BASE_IMAGE: 'node:20-bookworm-slim' });
    expect(stages.map((stage) => stage.from)).toEqual(Array(stages.length).fill('${BASE_IMAGE}'));
    expect(stages.map((stage) => stage.name)).toEqual(['manifests', 'build', 'runtime']);
  });

  it('builds with BuildKit and the classic builder alike, no image registry needed', () => {
    // A `# syntax=` line makes BuildKit pull a frontend image; `RUN --mount` breaks the classic builder.
    expect(firstLineOf(app)).not.toMatch(/^#\s*syntax=/);
    const runs = stages.flatMap((stage) => argsOf(stage, 'RUN'));
    expect(runs.filter((run) => run.startsWith('--'))).toEqual([]);
  });

  it('ships production dependencies only', () => {
    const runs = stages.flatMap((stage) => argsOf(stage, 'RUN')).join('\n');
    expect(runs).toContain('npm prune --omit=dev');
    expect(runs).toContain(`nx run @hellojohn/${app}:build`);
  });

  it('runs under tini as PID 1, as a numeric non-root user', () => {
    expect(argsOf(runtime, 'RUN').join('\n')).toMatch(
      /apt-get install -y --no-install-recommends tini/,
    );
    expect(execFormOf(runtime, 'ENTRYPOINT')).toEqual(['/usr/bin/tini', '--']);
    expect(execFormOf(runtime, 'CMD').slice(0, 2)).toEqual(['node', `apps/${app}/dist/main.js`]);
    expect(repoFileExists(`apps/${app}/src/main.ts`)).toBe(true);
    expect(argsOf(runtime, 'USER').at(-1)).toBe('1000:1000');
    expect(envOf(runtime).NODE_ENV).toBe('production');
  });

  it('carries the OCI labels, its version and revision from build arguments', () => {
    const labels = argsOf(runtime, 'LABEL').join(' ');
    for (const key of [
      'title',
      'description',
      'version',
      'revision',
      'source',
      'licenses',
      'base.name',
    ]) {
      expect(labels).toContain(`org.opencontainers.image.${key}=`);
    }
    expect(labels).toContain(`org.opencontainers.image.title="hellojohn-${app}"`);
    expect(argsOf(runtime, 'ARG')).toEqual(
      expect.arrayContaining(['VERSION=0.1.0', 'REVISION=unknown']),
    );
  });

  it('checks its health over HTTP on the port it exposes', () => {
    const check = execFormOf(runtime, 'HEALTHCHECK');
    const [port] = argsOf(runtime, 'EXPOSE');
    expect(check[2]).toMatch(new RegExp(`'/healthz'|/healthz'`));
    expect(check[2]).toContain(`${port}`);
  });
});

describe('.dockerignore', () => {
  const lines = readRepoFile('.dockerignore')
    .split('\n')
    .map((line) => line.trim());

  it.each(['node_modules', 'dist', 'data', '.git', 'coverage', '.nx'])('excludes %s', (entry) => {
    expect(lines.some((line) => line === entry || line === `**/${entry}`)).toBe(true);
  });

  it('keeps what the build reads', () => {
    for (const needed of ['package.json', 'package-lock.json', 'apps', 'libs', 'deploy/docker']) {
      expect(lines).not.toContain(needed);
    }
  });
});
