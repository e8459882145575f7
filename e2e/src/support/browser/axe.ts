import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** The WCAG levels the UX brief asks for (shared/ux.md §3). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let source: string | undefined;

export interface AxeProblem {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the page as it is now and returns its serious and critical violations.
 * axe's source is evaluated over the DevTools protocol rather than added as a script tag: the
 * console's CSP (script-src 'self', no 'unsafe-inline') rightly refuses an inline script.
 */
export async function axeProblems(page: Page): Promise<AxeProblem[]> {
  source ??= readFileSync(require.resolve('axe-core'), 'utf8');
  if (!(await page.evaluate<boolean>('typeof window.axe === "object"'))) {
    await page.evaluate(source);
  }
  // A string, not a function: the e2e project compiles without DOM typings; this runs in the page.
  return page.evaluate<AxeProblem[]>(`
    window.axe
      .run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} } })
      .then((result) =>
        result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            targets: v.nodes.map((n) => n.target.join(' ')),
          })),
      )
  `);
}
