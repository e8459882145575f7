/** Everything the web app needs to know; `configFromEnv` reads it from environment variables. */
export interface WebAppConfig {
  /** The tenant's issuer, e.g. `http://localhost:8080/t/acme`; discovery starts here. */
  issuer: string;
  /** The client registered for this app (`hjctl clients create ... --type confidential`). */
  clientId: string;
  clientSecret: string;
  /**
   * Where browsers reach this app (an origin, no path), e.g. `http://localhost:3001`. The
   * redirect URI is `{appUrl}/callback` and the post-logout redirect URI `{appUrl}/`: register
   * exactly these two with the client.
   */
  appUrl: string;
  /** The sample backend (examples/sample-backend), e.g. `http://localhost:3000`. */
  backendUrl: string;
  /** Space-separated scopes; `offline_access` asks for a refresh token. */
  scope?: string;
}

/** A configuration `checkConfig` accepted, with the defaults filled in. */
export type CheckedConfig = Required<WebAppConfig>;

export const DEFAULT_SCOPE = 'openid profile email offline_access';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** RFC 8252 §8.3: plain http is tolerable only when nothing leaves the machine. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/** The two URIs the client must be registered with, derived from `appUrl`. */
export function callbackUris(config: Pick<WebAppConfig, 'appUrl'>): {
  redirectUri: string;
  postLogoutRedirectUri: string;
} {
  return {
    redirectUri: new URL('/callback', config.appUrl).href,
    postLogoutRedirectUri: new URL('/', config.appUrl).href,
  };
}

function parseUrl(name: string, value: string, problems: string[]): URL | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && !isLoopbackHttp(url)) {
      problems.push(`${name} must be https (plain http only on localhost/127.0.0.1/[::1])`);
    }
    return url;
  } catch {
    problems.push(`${name} is not a URL: ${value}`);
    return undefined;
  }
}

/**
 * Checks a configuration and returns it normalised (URLs without a trailing slash), or throws one
 * error naming every problem, so a misconfigured app fails at start rather than mid sign-in.
 */
export function checkConfig(config: WebAppConfig): CheckedConfig {
  const problems: string[] = [];
  for (const [name, value] of [
    ['issuer', config.issuer],
    ['clientId', config.clientId],
    ['clientSecret', config.clientSecret],
    ['appUrl', config.appUrl],
    ['backendUrl', config.backendUrl],
  ] as const) {
    if (!value) problems.push(`${name} is required`);
  }
  if (problems.length === 0) {
    parseUrl('issuer', config.issuer, problems);
    const app = parseUrl('appUrl', config.appUrl, problems);
    if (app && (app.pathname !== '/' || app.search || app.hash)) {
      problems.push('appUrl must be an origin, without a path: the routes live at its root');
    }
    parseUrl('backendUrl', config.backendUrl, problems);
  }
  if (problems.length > 0) throw new Error(`invalid web app configuration: ${problems.join('; ')}`);
  return {
    ...config,
    // The issuer is compared exactly with the discovered one, so only a trailing slash is trimmed.
    issuer: config.issuer.replace(/\/$/, ''),
    appUrl: new URL(config.appUrl).origin,
    backendUrl: config.backendUrl.replace(/\/$/, ''),
    scope: config.scope ?? DEFAULT_SCOPE,
  };
}

/** The configuration `npm run example:web-app` uses; see the README for each variable. */
export function configFromEnv(env: NodeJS.ProcessEnv): { config: CheckedConfig; port: number } {
  const port = Number(env.PORT ?? 3001);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`invalid web app configuration: PORT must be a port number, got ${env.PORT}`);
  }
  const config = checkConfig({
    issuer: env.HELLOJOHN_TENANT_URL ?? '',
    clientId: env.HELLOJOHN_CLIENT_ID ?? '',
    clientSecret: env.HELLOJOHN_CLIENT_SECRET ?? '',
    appUrl: env.WEB_APP_URL ?? `http://localhost:${port}`,
    backendUrl: env.SAMPLE_BACKEND_URL ?? 'http://localhost:3000',
    ...(env.HELLOJOHN_SCOPE && { scope: env.HELLOJOHN_SCOPE }),
  });
  return { config, port };
}
