import type { AuthorizationRequestInput } from '@hellojohn/dal';
import type { OAuthClient } from '../../oauth2/client-directory';
import { scopeNamesOf, type ApiResource } from '../../oauth2';

/** OIDC Core §3.1.2.1 and RFC 7636 §4.3: the parameters the authorization endpoint reads. */
export type AuthorizeParams = Readonly<Record<string, unknown>>;

/** An error the authorization endpoint answers by redirecting (RFC 6749 §4.1.2.1). */
export interface RedirectedError {
  error: string;
  description: string;
}

/** OIDC scopes every client may ask for, besides its registered ones. */
const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'organization'];
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);
const DISPLAYS = new Set(['page', 'popup', 'touch', 'wap']);
const MAX_LENGTH = 2048;
/** RFC 7636 §4.2: 43 to 128 characters of the unreserved set. */
const CODE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;
/** RFC 6749 §3.3. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

class Refused extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

/**
 * One parameter: absent (or empty, RFC 6749 §3.1) is undefined; repeated, not a string or too
 * long is `invalid_request` (§3.1: "MUST NOT be included more than once").
 */
export function param(params: AuthorizeParams, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string')
    throw new Refused('invalid_request', `Repeated parameter: ${name}`);
  if (value.length > MAX_LENGTH) throw new Refused('invalid_request', `${name} is too long.`);
  return value;
}

/** The response mode errors are sent with: form_post only when asked for by name. */
export function responseModeOf(params: AuthorizeParams): 'query' | 'form_post' {
  return params['response_mode'] === 'form_post' ? 'form_post' : 'query';
}

function scopeOf(
  client: OAuthClient,
  raw: string | undefined,
  resource: ApiResource | undefined,
): string {
  const tokens = [...new Set((raw ?? '').split(' ').filter((token) => token !== ''))];
  // With a resource (RFC 8707), that API's scopes may be asked for too.
  const allowed = new Set([
    ...DEFAULT_SCOPES,
    ...client.scopes,
    ...(resource ? scopeNamesOf(resource) : []),
  ]);
  for (const token of tokens) {
    if (!SCOPE_TOKEN.test(token) || !allowed.has(token)) {
      throw new Refused('invalid_scope', `The scope "${token.slice(0, 64)}" is not allowed.`);
    }
  }
  return tokens.join(' ');
}

function promptOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const values = raw.split(' ').filter((value) => value !== '');
  if (values.some((value) => !PROMPTS.has(value))) {
    throw new Refused('invalid_request', 'prompt has an unsupported value.');
  }
  // OIDC Core §3.1.2.1: "none" with any other value is an error.
  if (values.includes('none') && values.length > 1) {
    throw new Refused('invalid_request', 'prompt=none cannot be combined with other values.');
  }
  return [...new Set(values)].join(' ');
}

function maxAgeOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,9}$/.test(raw)) {
    throw new Refused('invalid_request', 'max_age must be a non-negative integer.');
  }
  return Number(raw);
}

function pkceOf(client: OAuthClient, params: AuthorizeParams) {
  const challenge = param(params, 'code_challenge');
  const method = param(params, 'code_challenge_method');
  if (challenge === undefined) {
    if (method !== undefined) {
      throw new Refused('invalid_request', 'code_challenge_method without code_challenge.');
    }
    // RFC 9700 §2.1.1: public clients must use PKCE.
    if (client.type === 'public') {
      throw new Refused('invalid_request', 'code_challenge is required for public clients.');
    }
    return { code_challenge: null, code_challenge_method: null };
  }
  // RFC 7636 §4.3: an absent method means plain, which is refused like plain itself.
  if (method !== 'S256') {
    throw new Refused('invalid_request', 'code_challenge_method must be S256.');
  }
  if (!CODE_CHALLENGE.test(challenge)) {
    throw new Refused('invalid_request', 'code_challenge is not a valid S256 challenge.');
  }
  return { code_challenge: challenge, code_challenge_method: 'S256' };
}

/**
 * RFC 8707 `resource` (or its alias `audience`): the API the access tokens are for, one per
 * request, which must be one of the tenant's APIs accepting tokens for users; else
 * `invalid_target`, answered at the redirect URI.
 */
async function resourceOf(
  params: AuthorizeParams,
  findResource: (identifier: string) => Promise<ApiResource | undefined>,
): Promise<ApiResource | undefined> {
  if (Array.isArray(params['resource'])) {
    throw new Refused(
      'invalid_target',
      'One resource per request: an access token has one audience.',
    );
  }
  const named = [param(params, 'resource'), param(params, 'audience')].filter(
    (value): value is string => value !== undefined,
  );
  const [identifier, ...others] = new Set(named);
  if (identifier === undefined) return undefined;
  if (others.length > 0) {
    throw new Refused('invalid_target', 'resource and audience name different APIs.');
  }
  const resource = await findResource(identifier);
  if (!resource || resource.subjects === 'machines') {
    throw new Refused('invalid_target', 'The resource is not an API of this tenant for users.');
  }
  return resource;
}

/**
 * Checks what is left of an authorization request once the client and redirect URI are known
 * good, in the order RFC 6749 §4.1.2.1 and OIDC Core §3.1.2.6 imply; every failure here is
 * answered at the redirect URI. Unknown parameters are ignored (RFC 6749 §3.1). `findResource`
 * reads the tenant's API resources (RFC 8707 `resource`).
 */
export async function checkAuthorizationRequest(
  client: OAuthClient,
  redirectUri: string,
  params: AuthorizeParams,
  findResource: (identifier: string) => Promise<ApiResource | undefined>,
): Promise<
  { ok: true; request: AuthorizationRequestInput } | { ok: false; refused: RedirectedError }
> {
  try {
    if (params['request'] !== undefined) {
      throw new Refused('request_not_supported', 'Request objects are not supported.');
    }
    if (params['request_uri'] !== undefined) {
      throw new Refused('request_uri_not_supported', 'request_uri is not supported.');
    }
    const responseMode = param(params, 'response_mode');
    if (responseMode !== undefined && responseMode !== 'query' && responseMode !== 'form_post') {
      throw new Refused('invalid_request', 'response_mode must be query or form_post.');
    }
    const responseType = param(params, 'response_type');
    if (responseType === undefined)
      throw new Refused('invalid_request', 'response_type is missing.');
    if (responseType !== 'code') {
      throw new Refused('unsupported_response_type', 'Only response_type=code is supported.');
    }
    if (!client.grant_types.includes('authorization_code')) {
      throw new Refused(
        'unauthorized_client',
        'The client may not use the authorization code grant.',
      );
    }
    const resource = await resourceOf(params, findResource);
    const scope = scopeOf(client, param(params, 'scope'), resource);
    const pkce = pkceOf(client, params);
    const prompt = promptOf(param(params, 'prompt'));
    const maxAge = maxAgeOf(param(params, 'max_age'));
    const display = param(params, 'display');
    if (display !== undefined && !DISPLAYS.has(display)) {
      throw new Refused('invalid_request', 'display has an unsupported value.');
    }
    return {
      ok: true,
      request: {
        response_type: 'code',
        redirect_uri: redirectUri,
        scope,
        state: param(params, 'state') ?? null,
        nonce: param(params, 'nonce') ?? null,
        ...pkce,
        prompt: prompt ?? null,
        max_age: maxAge ?? null,
        login_hint: param(params, 'login_hint') ?? null,
        ui_locales: param(params, 'ui_locales') ?? null,
        response_mode: responseMode ?? null,
        acr_values: param(params, 'acr_values') ?? null,
        display: display ?? null,
        resource: resource?.identifier ?? null,
      },
    };
  } catch (error) {
    if (error instanceof Refused) {
      return { ok: false, refused: { error: error.error, description: error.description } };
    }
    throw error;
  }
}

/** True when `prompt` (space-separated, as stored) holds `value`. */
export function hasPrompt(prompt: string | null | undefined, value: string): boolean {
  return (prompt ?? '').split(' ').includes(value);
}
