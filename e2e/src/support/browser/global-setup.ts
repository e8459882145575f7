import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Jest globalSetup of the e2e project: makes sure Debian's Chromium is installed before any test
 * runs (scripts/ensure-chromium.sh: instant when /usr/bin/chromium exists, `apt-get install -y
 * chromium` as root, a clear failure otherwise). Once per run rather than in each browser test
 * file, so parallel workers never race for apt's lock.
 */
export default function ensureChromium(): void {
  const script = join(__dirname, '../../../../scripts/ensure-chromium.sh');
  try {
    execFileSync('bash', [script], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    // The script has already said why on stderr.
    throw new Error(
      'Chromium for the browser tests is missing and could not be installed (see above).',
    );
  }
}
