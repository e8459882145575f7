/** The first retry waits this long; each further one twice as long as the one before ... */
const FIRST_RETRY_MS = 30_000;
/** ... up to this. */
const MAX_RETRY_MS = 60 * 60_000;
/** A mail not delivered this long after it was queued is dead (its links have expired anyway). */
const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

/**
 * When to try a mail again after its `attempts`-th failure (1-based): 30 s, 1 min, 2 min, ...
 * doubling, capped at 1 h; or `null` (dead) once that would fall after 24 h from `createdAt`.
 * Roughly 25 attempts in all before a mail is dead.
 */
export function nextAttemptAt(attempts: number, createdAt: Date, now: Date): Date | null {
  const exponent = Math.min(Math.max(attempts - 1, 0), 20);
  const delay = Math.min(FIRST_RETRY_MS * 2 ** exponent, MAX_RETRY_MS);
  const next = new Date(now.getTime() + delay);
  return next.getTime() - createdAt.getTime() > GIVE_UP_AFTER_MS ? null : next;
}

/**
 * A failure no retry will fix: the server refused the recipient or the message with a permanent
 * (5xx) reply (RFC 5321 §4.2.1). Connection errors, timeouts, 4xx replies and authentication
 * failures are retried: the operator may fix those within the day.
 */
export function isPermanentFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  return (
    (code === 'EENVELOPE' || code === 'EMESSAGE') &&
    typeof responseCode === 'number' &&
    responseCode >= 500 &&
    responseCode < 600
  );
}
