import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { allowOnPage, html, type SafeHtml } from '@hellojohn/http';
import type { RequestHandler, Response } from 'express';
import type { TenantContext } from '../../tenancy/tenant-context';
import { pathsOf } from './page-context';
import { PASSKEY_CLIENT_JS } from './passkey-script';

/** One static script: its immutable file name (content hash inside) and bytes. */
interface Asset {
  name: string;
  body: Buffer;
  etag: string;
}

function assetOf(stem: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex');
  return { name: `${stem}.${hash.slice(0, 16)}.js`, body, etag: `"${hash.slice(0, 32)}"` };
}

/**
 * The SimpleWebAuthn browser build (its UMD bundle defines `SimpleWebAuthnBrowser`), read from
 * the installed package: the package's exports name only its module entry points, so the bundle
 * is found beside the CommonJS one.
 */
function simpleWebAuthnBundle(): Buffer {
  const entry = require.resolve('@simplewebauthn/browser');
  return readFileSync(join(dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'));
}

let assets: { library: Asset; client: Asset } | undefined;

/** Read once, on first use: a data plane that never shows a passkey page never reads them. */
function passkeyAssets(): { library: Asset; client: Asset } {
  assets ??= {
    library: assetOf('simplewebauthn-browser', simpleWebAuthnBundle()),
    client: assetOf('passkeys', Buffer.from(PASSKEY_CLIENT_JS, 'utf8')),
  };
  return assets;
}

/** Where the scripts are served: under the tenant's hosted login, so any path prefix still works. */
const assetsPath = (tenant: TenantContext) => `${pathsOf(tenant).login}/assets`;

/**
 * The two `<script defer>` tags of a page with passkey buttons, and the CSP that lets them run:
 * script files of this origin and `fetch` back to it, never an inline script or another host.
 */
export function passkeyScripts(res: Response, tenant: TenantContext): SafeHtml {
  const { library, client } = passkeyAssets();
  const base = assetsPath(tenant);
  allowOnPage(res, { ownScripts: true });
  return html`<script defer src="${base}/${library.name}"></script>
    <script defer src="${base}/${client.name}"></script>`;
}

/**
 * `GET /t/{tenant}/login/assets/{file}`: the scripts, cacheable for a year (their names change
 * with their content), with an ETag for revalidation. Any other name is a 404; the tenant does not
 * matter, so no tenant database is opened.
 */
export const servePasskeyAsset: RequestHandler = (req, res, next) => {
  const { library, client } = passkeyAssets();
  const asset = [library, client].find((a) => a.name === req.params['file']);
  if (!asset) {
    next();
    return;
  }
  res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  res.setHeader('ETag', asset.etag);
  res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
  if (req.headers['if-none-match'] === asset.etag) {
    res.status(304).end();
    return;
  }
  res.status(200).send(asset.body);
};
