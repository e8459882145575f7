import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const GENERATED = 'libs/sdk/src/generated';

/**
 * `libs/sdk/src/generated/*.ts` are what `scripts/gen-sdk-types.ts` renders from the services'
 * current `/openapi.json`. The generator runs in a child process (as `npm run sdk:types` does)
 * because openapi-typescript and Prettier are ES modules that Jest's CommonJS runtime cannot load;
 * it writes into a temp dir, never over the committed files.
 */
describe('SDK wire types generated from OpenAPI', () => {
  let outDir: string;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'hj-sdk-types-check-'));
    await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@hellojohn/source',
        'scripts/gen-sdk-types.ts',
        '--out-dir',
        outDir,
      ],
      { cwd: root },
    );
  }, 120_000);
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('generates one file per service, and nothing else is committed there', () => {
    const fresh = readdirSync(join(outDir, GENERATED)).sort();
    expect(fresh).toEqual(['control-plane.ts', 'data-plane.ts']);
    expect(readdirSync(join(root, GENERATED)).sort()).toEqual(fresh);
  });

  it.each(['control-plane.ts', 'data-plane.ts'])(
    `${GENERATED}/%s matches the service's OpenAPI document (else run \`npm run sdk:types\`)`,
    (file) => {
      const committed = readFileSync(join(root, GENERATED, file), 'utf8');
      expect(committed).toBe(readFileSync(join(outDir, GENERATED, file), 'utf8'));
    },
  );
});
