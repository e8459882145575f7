import { z } from 'zod';

/** A parameter as a query string or form carries it; repeated ones are refused by the service. */
const param = (description: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe(description);

/**
 * OIDC Core §3.1.2.1 / RFC 6749 §4.1.1 / RFC 7636 §4.3. Loose: unknown parameters are ignored
 * (RFC 6749 §3.1), and nothing here fails; the service checks each in the RFC's order, so errors
 * after the redirect URI is known go back to the client.
 */
export const AuthorizeParams = z.looseObject({
  client_id: param('The client.'),
  redirect_uri: param('Exactly as registered (a loopback port may vary).'),
  response_type: param('`code`.'),
  scope: param('Space-separated; `openid` for OpenID Connect.'),
  state: param('Echoed in the response.'),
  nonce: param('Copied into the ID token.'),
  code_challenge: param('PKCE (RFC 7636), S256; required for public clients.'),
  code_challenge_method: param('`S256`.'),
  prompt: param('`none`, `login`, `consent`.'),
  max_age: param('Seconds since the last authentication beyond which a new one is required.'),
  login_hint: param('Pre-fills the email field.'),
  ui_locales: param('Preferred page languages (`en`, `es`).'),
  response_mode: param('`query` (default) or `form_post`.'),
  display: param('Accepted and ignored (`page`, `popup`, `touch`, `wap`).'),
  acr_values: param('Accepted.'),
});

const Handle = z.string().max(64).describe('The login transaction handle.');
const CsrfToken = z.string().max(128).describe('Bound to the interaction cookie.');

export const TxQuery = z.strictObject({ tx: Handle });
export const LoginQuery = z.strictObject({
  tx: Handle,
  notice: z
    .enum(['signed_up', 'mfa_expired'])
    .optional()
    .describe('Shows the sign-up outcome, or that the second-factor step expired.'),
  error: z
    .enum(['passkey', 'passkey_unverified'])
    .optional()
    .describe('Shows why a passkey sign-in failed.'),
});

/** Set to `1` by the passkey script where the browser can use passkeys (the "add one" offer). */
const PasskeysCapable = z
  .string()
  .max(1)
  .optional()
  .describe('`1` when the browser can use passkeys (set by the page script).');

export const SignInForm = z.strictObject({
  tx: Handle,
  csrf: CsrfToken,
  passkeys: PasskeysCapable,
  email: z.string().max(320).optional(),
  password: z.string().max(1024).optional(),
});

export const SignUpForm = z.strictObject({
  tx: Handle,
  csrf: CsrfToken,
  passkeys: PasskeysCapable,
  email: z.string().max(320).optional(),
  password: z.string().max(1024).optional(),
  name: z.string().max(200).optional(),
});

export const ConsentForm = z.strictObject({
  tx: Handle,
  csrf: CsrfToken,
  decision: z.enum(['allow', 'deny', 'switch']).describe('`switch`: "Not you?", sign in again.'),
});

const text = (description: string) => z.string().max(4096).optional().describe(description);

/** RP-Initiated Logout 1.0 §2. */
export const EndSessionQuery = z.looseObject({
  id_token_hint: text('An ID token this tenant issued (expired ones too).'),
  client_id: text('The client, when no hint names it.'),
  post_logout_redirect_uri: text("One of the client's post_logout_redirect_uris, exactly."),
  state: text('Echoed to the post-logout redirect URI.'),
  ui_locales: text('Preferred page languages.'),
  logout_hint: text('Accepted and ignored.'),
});

export const EndSessionForm = EndSessionQuery.extend({ csrf: CsrfToken.optional() });
