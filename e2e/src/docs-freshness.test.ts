import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- scripts/ belongs to no Nx project; this test pins its output to the committed docs
import {
  configVariables,
  markdownTable,
  renderConfigurationDoc,
  renderErrorsDoc,
  renderReadme,
} from '../../scripts/gen-docs';

const root = join(__dirname, '..', '..');
const committed = (path: string): string => readFileSync(join(root, path), 'utf8');
const FRESH = 'matches its generator (else run `npm run docs`)';

describe('generated documentation', () => {
  it(`docs/configuration.md ${FRESH}`, () => {
    expect(committed('docs/configuration.md')).toBe(renderConfigurationDoc());
  });

  it(`docs/errors.md ${FRESH}`, () => {
    expect(committed('docs/errors.md')).toBe(renderErrorsDoc());
  });

  it(`the configuration table in README.md ${FRESH}`, () => {
    const readme = committed('README.md');
    expect(readme).toBe(renderReadme(readme));
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
});
