import type { WebhookRow } from '@hellojohn/dal';
import { decryptSecret, encryptSecret } from '@hellojohn/tokens';

// The AAD binds a sealed secret to its webhook, so one copied onto another row will not open.
const aadOf = (webhookId: string, slot: 'current' | 'previous'): string =>
  `webhook:${webhookId}:secret:${slot}`;

/** Seals a signing secret for the `secret_sealed` column. */
export function sealCurrentSecret(masterKey: Buffer, webhookId: string, secret: string): string {
  return encryptSecret(masterKey, secret, aadOf(webhookId, 'current'));
}

/** Seals the secret being rotated out for `previous_secret_sealed`. */
export function sealPreviousSecret(masterKey: Buffer, webhookId: string, secret: string): string {
  return encryptSecret(masterKey, secret, aadOf(webhookId, 'previous'));
}

/** The current secret alone. */
export function openCurrentSecret(masterKey: Buffer, row: WebhookRow): string {
  return decryptSecret(masterKey, row.secretSealed, aadOf(row.id, 'current')).toString('utf8');
}

/** The secrets that sign at `now`: the current one, and the previous one during its overlap. */
export function signingSecrets(masterKey: Buffer, row: WebhookRow, now: Date): string[] {
  const secrets = [openCurrentSecret(masterKey, row)];
  if (
    row.previousSecretSealed !== null &&
    row.previousSecretExpiresAt !== null &&
    row.previousSecretExpiresAt > now
  ) {
    secrets.push(
      decryptSecret(masterKey, row.previousSecretSealed, aadOf(row.id, 'previous')).toString(
        'utf8',
      ),
    );
  }
  return secrets;
}
