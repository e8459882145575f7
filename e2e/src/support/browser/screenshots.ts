import { join } from 'node:path';
import type { Page } from 'playwright-core';

const IMAGES = join(__dirname, '../../../../docs/images');

/**
 * Saves `docs/images/<name>.png` when `HJ_SCREENSHOTS=1`, so the pictures in docs/oidc.md come
 * from the real pages; a normal run (CI) leaves the tree alone.
 */
export async function screenshotForDocs(page: Page, name: string): Promise<void> {
  if (process.env['HJ_SCREENSHOTS'] !== '1') return;
  await page.screenshot({ path: join(IMAGES, `${name}.png`), fullPage: true });
}
