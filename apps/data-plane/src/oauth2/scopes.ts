import { OIDC_USER_SCOPES } from '@hellojohn/contracts';
import { OAuthError } from '@hellojohn/http';

/**
 * The OpenID Connect scopes that ask for an end user's identity or offline access (OIDC Core
 * §5.4, §11). They mean nothing in a grant without a user, such as client_credentials.
 */
export const USER_SCOPES: ReadonlySet<string> = new Set(OIDC_USER_SCOPES);

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * The scope tokens of a `scope` parameter (RFC 6749 §3.3: space-delimited, order irrelevant),
 * without repeats; `[]` when it is absent. A token outside the RFC's alphabet -> `invalid_scope`.
 *
 * @example
 * parseScope('billing:read  billing:read reports'); // ['billing:read', 'reports']
 */
export function parseScope(scope: string | undefined): string[] {
  if (scope === undefined) return [];
  const tokens = scope.split(' ').filter((token) => token !== '');
  for (const token of tokens) {
    if (!SCOPE_TOKEN.test(token)) {
      throw new OAuthError('invalid_scope', 'The scope is not a list of RFC 6749 scope tokens.');
    }
  }
  return [...new Set(tokens)];
}
