/** Stable, machine-readable failure codes. Never renamed once released. */
export type TokenErrorCode = 'token_expired' | 'token_invalid' | 'secret_undecryptable';

const MESSAGES: Readonly<Record<TokenErrorCode, string>> = {
  token_expired: 'The token has expired.',
  token_invalid: 'The token is invalid.',
  secret_undecryptable: 'The secret could not be decrypted.',
};

/**
 * The one error type thrown by this library for untrusted input. `code` is safe to show to a
 * client; `reason` is for logs only, because telling an attacker which check failed helps them.
 *
 * @example
 * ```ts
 * try {
 *   await verifyAccessToken(token, options);
 * } catch (err) {
 *   if (err instanceof TokenError) log.info({ reason: err.reason }, err.code);
 * }
 * ```
 */
export class TokenError extends Error {
  override readonly name = 'TokenError';
  readonly code: TokenErrorCode;
  readonly reason: string;

  constructor(code: TokenErrorCode, reason: string, options?: { cause?: unknown }) {
    super(MESSAGES[code], options);
    this.code = code;
    this.reason = reason;
  }
}
