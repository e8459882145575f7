/**
 * The `method` of `user.signed_in`, from the session's `amr` (RFC 8176): the first factor the
 * user presented, plus `+mfa` when a second one followed (`password+mfa`).
 *
 * @example
 * signInMethodOf(['pwd', 'otp', 'mfa']); // 'password+mfa'
 */
export function signInMethodOf(amr: readonly string[] | undefined): string {
  if (amr === undefined || amr.length === 0) return 'unknown';
  const first = amr.includes('hwk')
    ? 'passkey'
    : amr.includes('pwd')
      ? 'password'
      : amr.includes('otp')
        ? 'one_time_code'
        : (amr[0] ?? 'unknown');
  return amr.includes('mfa') && first !== 'passkey' ? `${first}+mfa` : first;
}
