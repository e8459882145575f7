import { argsOf, dockerfileOf, envOf, execFormOf, finalStage } from './support/dockerfile';
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

  it('builds on node:20-bookworm-slim with the tools better-sqlite3 compiles with', () => {
    expect(stages.every((stage) => stage.from === 'node:20-bookworm-slim')).toBe(true);
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
