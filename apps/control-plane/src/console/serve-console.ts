import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@hellojohn/http';
import express, { Router, type RequestHandler, type Response } from 'express';

/** Where `vite build` (apps/console) writes the console, from this file in src/ or dist/. */
const DEFAULT_DIST_DIR = join(__dirname, '../../../console/dist');

/** Vite names every built asset after its content hash, so it may be cached forever. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The console's Content Security Policy: its own scripts and styles only (Vite emits no inline
 * script, and the console sets no inline style), API calls to this origin and to the data plane
 * (whose admin routes hold users and sessions), no framing, no plugins, no `<base>` rewrites.
 */
function consolePolicy(dataPlaneOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${dataPlaneOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface ConsoleOptions {
  /** The data plane's public URL (`HJ_PUBLIC_URL`), told to the console by `config.json`. */
  dataPlaneUrl: string;
  /** The built console; default `apps/console/dist`. */
  distDir?: string;
}

/**
 * Serves the built operator console at `/console/` (docs/console.md): hashed assets immutable,
 * `index.html` revalidated on every load, every other path under `/console/` answered with
 * `index.html` so the single-page app's own routes survive a reload (SPA fallback). A missing
 * build answers 503 (its cause, with the command that builds it, goes to the log).
 */
export function serveConsole(options: ConsoleOptions): Router {
  const distDir = options.distDir ?? DEFAULT_DIST_DIR;
  const policy = consolePolicy(new URL(options.dataPlaneUrl).origin);
  const config = JSON.stringify({ dataPlaneUrl: options.dataPlaneUrl.replace(/\/+$/, '') });
  const router = Router({ strict: true });

  const withPolicy: RequestHandler = function setConsolePolicy(_req, res, next) {
    res.setHeader('Content-Security-Policy', policy);
    next();
  };

  function sendIndex(res: Response): void {
    const index = join(distDir, 'index.html');
    if (!existsSync(index)) {
      throw new AppError('service_unavailable', undefined, {
        cause: new Error(
          `The console is not built (${index} is missing): run \`npm run build -w @hellojohn/console\`; npm start does it.`,
        ),
      });
    }
    // Read per request: a rebuild while the service runs is picked up, and the file is small.
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(readFileSync(index));
  }

  router.get('/console', function redirectToConsole(_req, res) {
    res.redirect(301, '/console/');
  });
  router.use('/console', withPolicy);
  router.get('/console/config.json', function consoleConfig(_req, res) {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('json').send(config);
  });
  router.use(
    '/console/assets',
    express.static(join(distDir, 'assets'), {
      index: false,
      setHeaders: (res) => res.setHeader('Cache-Control', IMMUTABLE),
    }),
  );
  // A missing asset is a stale page asking for an old hash: 404, never index.html as script.
  router.use('/console/assets', function missingAsset() {
    throw new AppError('route_not_found', 'No such console asset.');
  });
  // Files Vite copies unhashed from public/ (the icon): revalidated like index.html.
  router.use(
    '/console',
    express.static(distDir, {
      index: false,
      redirect: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  router.get(['/console/', '/console/*path'], function consoleIndex(_req, res) {
    sendIndex(res);
  });
  return router;
}
