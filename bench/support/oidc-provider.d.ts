/**
 * The little of oidc-provider 9's API the OAuth 2.0 bench uses (the package ships no types and
 * `@types/oidc-provider` is not a dependency). See node_modules/oidc-provider/lib/provider.js.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** The provider's configuration object (docs/README.md of oidc-provider); checked at runtime. */
  export type Configuration = Record<string, unknown>;

  /** A Koa application serving the OpenID Provider's routes. */
  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }

  export const errors: {
    InvalidTarget: new (description?: string) => Error;
  };
}
