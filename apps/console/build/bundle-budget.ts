import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/**
 * The console's size budget: gzipped JavaScript and CSS of one build, in bytes. Recorded here
 * (docs/console.md, "Bundle budget") so that a heavy dependency is a conscious decision: the
 * build fails above it. React and react-dom alone are about 60 kB gzipped.
 */
const BUNDLE_BUDGET_BYTES = 100 * 1024;

/** One emitted file: its name and contents, as Rollup's bundle hands them over. */
interface EmittedFile {
  fileName: string;
  type: 'chunk' | 'asset';
  code?: string;
  source?: string | Uint8Array;
}

/** The gzipped size of every script and stylesheet of a build, in bytes. */
export function gzippedSize(files: readonly EmittedFile[]): number {
  let total = 0;
  for (const file of files) {
    if (!/\.(js|css)$/.test(file.fileName)) continue;
    const body = file.type === 'chunk' ? (file.code ?? '') : (file.source ?? '');
    total += gzipSync(typeof body === 'string' ? Buffer.from(body) : body).length;
  }
  return total;
}

/** A Vite plugin that fails the build when the bundle outgrows `budget` (gzipped bytes). */
export function bundleBudget(budget = BUNDLE_BUDGET_BYTES): Plugin {
  return {
    name: 'hellojohn-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const size = gzippedSize(Object.values(bundle));
      const line = `console bundle: ${(size / 1024).toFixed(1)} kB gzipped (budget ${(budget / 1024).toFixed(0)} kB)`;
      if (size > budget) this.error(`${line}: over budget`);
      this.info(line);
    },
  };
}
