/**
 * Operator-safe reason: driver messages can carry host names and users, never passwords; a URL's
 * `user:password@` part is masked whatever produced it, and `secrets` (e.g. the DSN's password)
 * are cut out wherever they appear.
 *
 * @example
 * logger.warn({ err: safeReason(error, [dsnPassword]) }, 'tenant database unreachable');
 */
export function safeReason(error: unknown, secrets: readonly string[] = []): string {
  let message = error instanceof Error ? error.message : String(error);
  for (const secret of secrets) if (secret.length >= 3) message = message.split(secret).join('***');
  return message.replace(/\/\/([^:@\s/]*):[^@\s/]*@/g, '//$1:***@').slice(0, 500);
}
