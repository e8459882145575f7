import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: ReadonlySet<string> | undefined;

/**
 * The bundled list of common passwords (`common-passwords.txt`, copied next to the compiled file
 * by the build), read once on first use. Entries are lower-case; `#` lines are comments.
 */
export function commonPasswords(): ReadonlySet<string> {
  if (!cached) {
    const text = readFileSync(join(__dirname, 'common-passwords.txt'), 'utf8');
    cached = new Set(
      text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#')),
    );
  }
  return cached;
}
