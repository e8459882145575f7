import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { envSchema } from '@hellojohn/config';
import { parseAllDocuments } from 'yaml';

export const repoRoot = resolve(__dirname, '../../..');
export const k8sDir = join(repoRoot, 'deploy/k8s');
export const planes = ['control-plane', 'data-plane'] as const;
export type Plane = (typeof planes)[number];

/** Every `HJ_*` name the services accept; anything else makes `loadConfig` refuse to start. */
export const knownHjNames: ReadonlySet<string> = new Set(
  Object.keys(envSchema.shape).filter((name) => name.startsWith('HJ_')),
);

/** The port variable of each plane and its default, straight from the schema. */
export const portVariable: Record<Plane, 'HJ_CP_PORT' | 'HJ_DP_PORT'> = {
  'control-plane': 'HJ_CP_PORT',
  'data-plane': 'HJ_DP_PORT',
};
export function defaultPort(plane: Plane): number {
  return envSchema.shape[portVariable[plane]].parse(undefined);
}

export function readRepoFile(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8');
}

export function repoFileExists(path: string): boolean {
  return existsSync(join(repoRoot, path));
}

/** All documents of a YAML file, with merge keys (`<<:`) resolved as docker compose does. */
export function readYamlDocuments(path: string): unknown[] {
  const text = readFileSync(path, 'utf8');
  const documents = [...parseAllDocuments(text, { merge: true })];
  const values: unknown[] = [];
  for (const document of documents) {
    if (document.errors.length > 0) {
      throw new Error(`${path}: ${document.errors.map((e) => e.message).join('; ')}`);
    }
    const value: unknown = document.toJSON();
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

/** Paths (relative to deploy/k8s, `/`-separated) of every YAML file in the folder tree. */
export function k8sYamlFiles(dir = k8sDir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return k8sYamlFiles(path);
      return /\.ya?ml$/.test(entry.name) ? [relative(k8sDir, path).split('\\').join('/')] : [];
    })
    .sort();
}

/** Replaces the example secrets' placeholders with values the configuration accepts. */
export function fillPlaceholders(env: Record<string, string>): Record<string, string> {
  const valid: Record<string, string> = {
    HJ_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    HJ_INTERNAL_TOKEN: 'x'.repeat(64),
    HJ_ADMIN_PASSWORD: 'a-long-enough-password',
  };
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => [
      name,
      value === 'REPLACE_ME' ? (valid[name] ?? 'filled') : value.replaceAll('REPLACE_ME', 'pw'),
    ]),
  );
}
