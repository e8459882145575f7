/**
 * Builds the operator console (apps/console → apps/console/dist) when its build is missing or
 * older than its sources, so `npm install && npm start` serves /console/ with no extra command.
 * Run by scripts/start.ts before the planes start, and by the console's browser test. Prints one
 * line saying what it did. `npx tsx scripts/ensure-console-build.ts` runs it alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const CONSOLE_DIR = join(__dirname, '..', 'apps', 'console');
const BUILT = join(CONSOLE_DIR, 'dist', 'index.html');
const VITE = join(__dirname, '..', 'node_modules', 'vite', 'bin', 'vite.js');
const SOURCES = ['src', 'public', 'index.html', 'vite.config.mts', 'build', 'package.json'];

/** The newest modification time under `path` (a file or a directory), in ms. */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** True when the built console is missing or older than any of its sources. */
function isStale(): boolean {
  if (!existsSync(BUILT)) return true;
  const built = statSync(BUILT).mtimeMs;
  return SOURCES.some((source) => newest(join(CONSOLE_DIR, source)) > built);
}

/** Builds the console if needed; `log` gets one line either way. */
export function ensureConsoleBuild(log: (line: string) => void = console.log): void {
  if (!isStale()) {
    log('console: build is up to date (apps/console/dist)');
    return;
  }
  log('console: building apps/console (vite build) ...');
  execFileSync(process.execPath, [VITE, 'build', '--logLevel', 'warn'], {
    cwd: CONSOLE_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    // The served build, whoever asks: under Jest (NODE_ENV=test) Vite would bundle React's
    // development build, which is larger than the bundle budget.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  log('console: built into apps/console/dist');
}

if (require.main === module) ensureConsoleBuild();
