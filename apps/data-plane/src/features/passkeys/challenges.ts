import { createHash, randomBytes } from 'node:crypto';
import type { WebAuthnChallengePurpose, WebAuthnChallengeRow } from '@hellojohn/dal';
import type { TenantContext } from '../../tenancy/tenant-context';

/** How long a ceremony may take, from options to answer. */
export const CHALLENGE_TTL_SECONDS = 300;

/** Expired challenges deleted whenever one is issued. */
const PRUNE_PER_ISSUE = 10;

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * A fresh 32-byte challenge, stored by its hash for `purpose` (and `userId` when the ceremony
 * knows the user). The bytes go to the options generator, which base64url-encodes them: that
 * encoding is what comes back in clientDataJSON, so it is what is hashed.
 */
export async function issueChallenge(
  tenant: TenantContext,
  purpose: WebAuthnChallengePurpose,
  userId: string | null,
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = randomBytes(32);
  // Each new challenge clears a few dead ones, more than it adds: the table stays at about the
  // challenges of the last 5 minutes without a sweeper of its own.
  await tenant.db.webauthnChallenges.deleteExpired(new Date(), PRUNE_PER_ISSUE);
  await tenant.db.webauthnChallenges.create({
    purpose,
    userId,
    challengeHash: sha256(bytes.toString('base64url')),
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000),
  });
  return Uint8Array.from(bytes);
}

/**
 * The challenge a ceremony's answer signed (clientDataJSON.challenge), or undefined when
 * clientDataJSON is not base64url JSON with a string challenge.
 */
export function answeredChallenge(clientDataJSON: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { challenge } = parsed as { challenge?: unknown };
    return typeof challenge === 'string' && challenge.length > 0 ? challenge : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Spends the live challenge of `purpose` the answer signed, before any verification: a challenge
 * is good for one answer, right or wrong, so an answer can never be replayed.
 */
export async function spendChallenge(
  tenant: TenantContext,
  purpose: WebAuthnChallengePurpose,
  challenge: string,
): Promise<WebAuthnChallengeRow | undefined> {
  return tenant.db.webauthnChallenges.consume(purpose, sha256(challenge), new Date());
}
