import { AppError } from '@hellojohn/http';
import { decryptSecret, encryptSecret } from '@hellojohn/tokens';

/**
 * A tenant's own SMTP server (settings `mail.smtp_url`) carries a password. It is stored the way
 * external DSNs are: sealed with the control plane's master key, bound to the tenant. The URL
 * kept in the settings shows `***` in its place (what operators read back), the sealed password
 * sits beside it in `mail.smtp_password_sealed` (never shown), and the internal API puts it back
 * for the data plane, which sends with it.
 */
const SEALED = 'smtp_password_sealed';
const MASK = '***';
const aadOf = (tenantId: string): string => `tenant:${tenantId}:mail-smtp-password`;

type Settings = Record<string, unknown>;

function mailOf(settings: Settings | undefined): Record<string, unknown> | undefined {
  const mail = settings?.['mail'];
  return typeof mail === 'object' && mail !== null && !Array.isArray(mail)
    ? (mail as Record<string, unknown>)
    : undefined;
}

/** Same server and account: where a kept password may go again. */
function sameServer(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.host === b.host && a.username === b.username;
}

/**
 * The settings to store for `input` (validated by the settings schema). A new password is sealed;
 * `***` as the password keeps the stored one, but only for the same server and user, so a kept
 * password can never be sent to a host the operator just named.
 */
export function sealMailSettings(
  masterKey: Buffer,
  tenantId: string,
  input: Settings,
  stored: Settings | undefined,
): Settings {
  const mail = mailOf(input);
  if (typeof mail?.['smtp_url'] !== 'string') return input;
  const url = new URL(mail['smtp_url']);
  const password = decodeURIComponent(url.password);
  if (password === '') return input;
  let sealed: string;
  if (password === MASK) {
    const before = mailOf(stored);
    const keep = before?.[SEALED];
    const beforeUrl = typeof before?.['smtp_url'] === 'string' ? new URL(before['smtp_url']) : null;
    if (typeof keep !== 'string' || !beforeUrl || !sameServer(url, beforeUrl)) {
      throw new AppError('validation_failed', 'The request body is not valid.', {
        errors: [
          {
            path: 'settings.mail.smtp_url',
            message: `give the password: ${MASK} keeps the stored one only for the same server and user`,
          },
        ],
      });
    }
    sealed = keep;
  } else {
    sealed = encryptSecret(masterKey, password, aadOf(tenantId));
  }
  url.password = MASK;
  return { ...input, mail: { ...mail, smtp_url: url.toString(), [SEALED]: sealed } };
}

function withoutSealed(mail: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(mail).filter(([key]) => key !== SEALED));
}

/** The settings operators see (and events carry): the URL with `***`, no sealed password. */
export function publicSettings(stored: Settings): Settings {
  const mail = mailOf(stored);
  if (!mail || !(SEALED in mail)) return stored;
  const rest = withoutSealed(mail);
  return { ...stored, mail: rest };
}

/** The settings the data plane reads (internal API): the URL with its password in clear. */
export function internalSettings(masterKey: Buffer, tenantId: string, stored: Settings): Settings {
  const mail = mailOf(stored);
  const sealed = mail?.[SEALED];
  if (!mail || typeof sealed !== 'string' || typeof mail['smtp_url'] !== 'string') return stored;
  const rest = withoutSealed(mail);
  const url = new URL(mail['smtp_url']);
  url.password = encodeURIComponent(
    decryptSecret(masterKey, sealed, aadOf(tenantId)).toString('utf8'),
  );
  return { ...stored, mail: { ...rest, smtp_url: url.toString() } };
}
