/** Why a request was refused, as RFC 6750 §3.1 names it. */
export type BearerErrorCode = 'invalid_token' | 'insufficient_scope';

/**
 * A token the verifier refuses: the caller's fault, answered 401 (`invalid_token`) or 403
 * (`insufficient_scope`). Failures to reach the JWKS are not this error: they are ours, not the
 * caller's, and propagate unchanged.
 *
 * @example
 * ```ts
 * try {
 *   await verifier.verify(token);
 * } catch (error) {
 *   if (error instanceof InvalidTokenError) console.log(error.code, error.description);
 * }
 * ```
 */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
  readonly code: BearerErrorCode;
  /** Safe to show the caller: says what failed, never a key or the token. */
  readonly description: string;
  /** For `insufficient_scope`: the scopes the resource needs (RFC 6750 §3 `scope`). */
  readonly scope: string | undefined;

  constructor(
    code: BearerErrorCode,
    description: string,
    options: { cause?: unknown; scope?: string } = {},
  ) {
    super(description, { cause: options.cause });
    this.code = code;
    this.description = description;
    this.scope = options.scope;
  }

  /** The HTTP status RFC 6750 §3.1 gives this error. */
  get status(): 401 | 403 {
    return this.code === 'insufficient_scope' ? 403 : 401;
  }
}
