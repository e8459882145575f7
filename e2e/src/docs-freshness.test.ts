import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- scripts/ belongs to no Nx project; this test pins its output to the committed docs
import {
  configVariables,
  markdownTable,
  PLANNED_VARIABLES,
  renderAuditDoc,
  renderConfigurationDoc,
  renderErrorsDoc,
  renderReadme,
  renderWebhooksDoc,
} from '../../scripts/gen-docs';

const root = join(__dirname, '..', '..');
const committed = (path: string): string => readFileSync(join(root, path), 'utf8');
const FRESH = 'matches its generator (else run `npm run docs`)';

/** `HJ_SMTP_URL` -> `smtpUrl`: the key `loadConfig()` exposes the variable under. */
function configKeyOf(variable: string): string {
  return variable
    .replace(/^HJ_/, '')
    .toLowerCase()
    .replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/** Every non-test TypeScript source of the apps and libs, except libs/config (which parses). */
function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(path);
    }
  };
  for (const group of ['apps', 'libs']) {
    for (const project of readdirSync(join(root, group))) {
      const src = join(root, group, project, 'src');
      if (`${group}/${project}` !== 'libs/config' && existsSync(src)) walk(src);
    }
  }
  return files;
}

describe('generated documentation', () => {
  it(`docs/configuration.md ${FRESH}`, () => {
    expect(committed('docs/configuration.md')).toBe(renderConfigurationDoc());
  });

  it(`docs/errors.md ${FRESH}`, () => {
    expect(committed('docs/errors.md')).toBe(renderErrorsDoc());
  });

  it(`docs/audit.md ${FRESH}`, () => {
    expect(committed('docs/audit.md')).toBe(renderAuditDoc());
  });

  it(`the configuration table in README.md ${FRESH}`, () => {
    const readme = committed('README.md');
    expect(readme).toBe(renderReadme(readme));
  });

  it(`the event table in docs/webhooks.md ${FRESH}`, () => {
    const doc = committed('docs/webhooks.md');
    expect(doc).toBe(renderWebhooksDoc(doc));
  });

  it('documents every variable with a description and its real default', () => {
    const variables = configVariables();
    expect(variables.length).toBeGreaterThan(0);
    for (const variable of variables) expect(variable.description).not.toBe('');
    const byName = new Map(variables.map((v) => [v.name, v]));
    expect(byName.get('HJ_DP_PORT')?.defaultValue).toBe('8080');
    expect(byName.get('HJ_PUBLIC_URL')?.defaultValue).toBe('http://localhost:8080');
    expect(byName.get('HJ_AUTO_MIGRATE')?.defaultValue).toBe('true');
    expect(byName.get('HJ_RABBITMQ_URL')?.defaultValue).toBeUndefined();
    expect(byName.get('HJ_LOG_LEVEL')?.values).toContain('silent');
  });

  it('pads tables as Prettier does and escapes pipes', () => {
    expect(markdownTable(['a', 'long header'], [['x|y', '1']])).toBe(
      ['| a    | long header |', '| ---- | ----------- |', '| x\\|y | 1           |'].join('\n'),
    );
  });

  it('marks a variable planned only while no app or lib reads it', () => {
    const sources = sourceFiles().map((file) => readFileSync(file, 'utf8'));
    expect(sources.length).toBeGreaterThan(0);
    // The check itself: redisUrl is read (rate limits), so it would be caught if listed.
    expect(sources.some((text) => /\.redisUrl\b/.test(text))).toBe(true);
    for (const variable of Object.keys(PLANNED_VARIABLES)) {
      const read = new RegExp(`\\.${configKeyOf(variable)}\\b`);
      const readers = sources.filter((text) => read.test(text));
      expect({ variable, readers: readers.length }).toEqual({ variable, readers: 0 });
    }
  });

  it('cites only documents inside this repository in code comments', () => {
    // The design brief and its companions live outside the repository; comments cite docs/.
    const offenders = sourceFiles().filter((file) =>
      /\b(?:design|conventions|toolchain|oidc-checklist|ux)\.md\b/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
