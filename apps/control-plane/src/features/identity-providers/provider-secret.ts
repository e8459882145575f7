import { decryptSecret, encryptSecret } from '@hellojohn/tokens';

// The AAD binds a sealed secret to its provider, so one copied onto another row will not open.
const aadOf = (providerId: string): string => `identity-provider:${providerId}:secret`;

/** Seals a provider's client secret (or Apple private key) for the `secret_sealed` column. */
export function sealProviderSecret(masterKey: Buffer, providerId: string, secret: string): string {
  return encryptSecret(masterKey, secret, aadOf(providerId));
}

/** Opens a sealed provider secret (for the data plane's internal read only). */
export function openProviderSecret(masterKey: Buffer, providerId: string, sealed: string): string {
  return decryptSecret(masterKey, sealed, aadOf(providerId)).toString('utf8');
}
