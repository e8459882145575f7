import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's package, installed by scripts/ensure-chromium.sh; never a downloaded build. */
const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless Chromium for the browser tests. The networking flags matter: without them Chromium
 * calls home (component updates, sync, QUIC probes), and on a closed network those connections
 * are refused; they must not slow down or colour a test. `--no-sandbox` because CI runs as root.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // The first start on a small CI machine can take a while; a hang still fails the test.
    timeout: 60_000,
  });
}

/**
 * Records every request the context's pages make to an origin outside `allowed` (the data plane
 * and the test's own redirect target): the hosted pages must not load fonts, scripts, images or
 * analytics from anywhere else. `data:` and `about:` URLs are not requests to anybody.
 */
export function watchForeignRequests(context: BrowserContext, allowed: string[]): string[] {
  const foreign: string[] = [];
  const origins = new Set(allowed.map((url) => new URL(url).origin));
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'about:') return;
    if (!origins.has(url.origin)) foreign.push(request.url());
  });
  return foreign;
}
