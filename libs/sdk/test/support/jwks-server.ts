import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Jwks, PublicJwk } from '@hellojohn/tokens';

export interface JwksServer {
  url: string;
  jwksUri: string;
  /** How many times the JWKS was fetched. */
  fetches(): number;
  setKeys(keys: PublicJwk[]): void;
  /** Answer 500 from now on. */
  fail(): void;
  close(): Promise<void>;
}

/** A loopback server that publishes a JWKS and counts fetches, as a tenant's data plane would. */
export async function startJwksServer(keys: PublicJwk[]): Promise<JwksServer> {
  let jwks: Jwks = { keys };
  let count = 0;
  let failing = false;
  const server = createServer((req, res) => {
    if (req.url !== '/t/acme/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    count += 1;
    if (failing) {
      res.writeHead(500).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/t/acme`;
  return {
    url,
    jwksUri: `${url}/.well-known/jwks.json`,
    fetches: () => count,
    setKeys(next) {
      jwks = { keys: next };
    },
    fail() {
      failing = true;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}
