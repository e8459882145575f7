import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface UpstreamOp {
  issuer: string;
  close(): Promise<void>;
}

/**
 * Starts the real upstream OpenID Provider (support/upstream-op-server.mjs, oidc-provider) and waits for
 * its issuer URL. `accounts` maps a `sub` to its claims (email, email_verified, name).
 */
export async function startUpstreamOp(config: {
  clients: { client_id: string; client_secret: string; redirect_uris: string[] }[];
  accounts: Record<string, Record<string, unknown>>;
}): Promise<UpstreamOp> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--no-warnings', join(__dirname, 'upstream-op-server.mjs'), JSON.stringify(config)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { issuer: string }).issuer);
    });
    child.once('exit', (code) => {
      reject(new Error(`upstream OP exited with ${String(code)}`));
    });
  });
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => {
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * A browser's cookie jar over fetch, for round trips that cross origins (the data plane and an
 * upstream provider): cookies kept per host:port (path and expiry simplified: a test lasts
 * seconds), redirects not followed, so each hop can be asserted.
 */
export function cookieBrowser() {
  const jars = new Map<string, Map<string, string>>();
  async function send(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const jar = jars.get(target.host) ?? new Map<string, string>();
    jars.set(target.host, jar);
    const headers = new Headers(init.headers);
    if (jar.size > 0) {
      headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = /max-age=0|expires=thu, 01 jan 1970/i.test(cookie);
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }
  return {
    get: (url: string) => send(url),
    post: (url: string, form: Record<string, string>) =>
      send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }),
    /** Where a 3xx points, absolute. */
    location(response: Response, base: string): string {
      const location = response.headers.get('location');
      if (location === null) throw new Error(`no Location (status ${response.status})`);
      return new URL(location, base).href;
    },
  };
}

export type CookieBrowser = ReturnType<typeof cookieBrowser>;
