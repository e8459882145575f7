// Mirrors of the data plane's wire shapes (apps/data-plane/src/schemas and design.md §4).
import type { PageQuery } from './page';

export interface User {
  id: string;
  email: string;
  name: string | null;
  email_verified: boolean;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface TokenPair {
  access_token: string;
  /** Opaque; spent by `refresh`, which returns its successor. */
  refresh_token: string;
  token_type: 'Bearer';
  /** Access-token lifetime in seconds. */
  expires_in: number;
}

export interface SignUpResult extends TokenPair {
  user: User;
}

/** design.md §4: sign-in answers this instead of tokens when the user has MFA. */
export interface MfaChallenge {
  mfa_required: true;
  mfa_token: string;
  factors: unknown[];
}

export type SignInResult = TokenPair | MfaChallenge;

export interface SignUpInput {
  email: string;
  password: string;
  name?: string;
}

export interface UpdateMeInput {
  name?: string | null;
  metadata?: Record<string, unknown>;
}

export interface ChangePasswordInput {
  current_password: string;
  new_password: string;
}

export interface Session {
  id: string;
  created_at: string;
  last_used_at: string | null;
  user_agent: string | null;
  ip: string | null;
  [field: string]: unknown;
}

export type SessionsQuery = PageQuery;

/** A tenant's public signing keys (RFC 7517 §5). */
export interface Jwks {
  keys: Array<Record<string, unknown> & { kid?: string; kty: string }>;
}

/**
 * Narrows a sign-in result to the MFA branch.
 *
 * @example
 * ```ts
 * const result = await dp.signIn({ email, password });
 * if (isMfaChallenge(result)) return promptForCode(result.mfa_token);
 * ```
 */
export function isMfaChallenge(result: SignInResult): result is MfaChallenge {
  return 'mfa_required' in result;
}
