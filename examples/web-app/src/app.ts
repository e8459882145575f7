import express from 'express';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import { callbackUris, checkConfig, type WebAppConfig } from './config';
import type { AppContext } from './context';
import { html, page } from './html';
import { identityProvider, IdentityProviderUnavailable } from './identity-provider';
import { homeRoute } from './routes/home';
import { profileRoute } from './routes/profile';
import { callbackRoute, signInRoute } from './routes/sign-in';
import { signOutPageRoute, signOutRoute } from './routes/sign-out';
import { SessionStore } from './session-store';

/**
 * The web app: a relying party of one HelloJohn tenant. Nothing is fetched here; the tenant is
 * discovered on the first request that needs it.
 *
 * @example
 * ```ts
 * createWebApp({
 *   issuer: 'http://localhost:8080/t/acme',
 *   clientId, clientSecret,
 *   appUrl: 'http://localhost:3001',
 *   backendUrl: 'http://localhost:3000',
 * }).listen(3001);
 * ```
 */
export function createWebApp(input: WebAppConfig): Express {
  const config = checkConfig(input);
  const ctx: AppContext = {
    config,
    ...callbackUris(config),
    sessions: new SessionStore(config.appUrl.startsWith('https:')),
    provider: identityProvider(config),
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(new URL(config.issuer).origin));
  app.get('/', homeRoute(ctx));
  app.get('/login', signInRoute(ctx));
  app.get('/callback', callbackRoute(ctx));
  app.get('/profile', profileRoute(ctx));
  app.get('/logout', signOutPageRoute());
  app.post('/logout', signOutRoute(ctx));
  app.use(notFound);
  app.use(onError);
  return app;
}

/**
 * Pages show personal data and the callback URL carries a code: no caching, no Referer, no
 * framing, no scripts. Forms may lead to the issuer, since sign-out redirects there.
 */
function securityHeaders(issuerOrigin: string): RequestHandler {
  return function setSecurityHeaders(_req, res, next) {
    res.set({
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': `default-src 'none'; form-action 'self' ${issuerOrigin}; frame-ancestors 'none'; base-uri 'none'`,
    });
    next();
  };
}

const notFound: RequestHandler = function notFound(_req, res) {
  res.status(404).send(page('Not found', html`<p><a href="/">Home</a></p>`));
};

const onError: ErrorRequestHandler = function onError(error, _req, res, next) {
  if (res.headersSent) {
    next(error);
    return;
  }
  // The detail goes to the log, not the page.
  console.error('web app request failed:', error);
  if (error instanceof IdentityProviderUnavailable) {
    res
      .status(502)
      .send(
        page(
          'HelloJohn is unavailable',
          html`<p>
            The identity provider <code>${error.issuer}</code> could not be reached. Is HelloJohn
            running, and is <code>HELLOJOHN_TENANT_URL</code> the tenant's issuer?
          </p>`,
        ),
      );
    return;
  }
  res.status(500).send(page('Something went wrong', html`<p>Please try again later.</p>`));
};
