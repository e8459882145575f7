import type { z } from 'zod';
import { emailOtp } from './email-otp';
import { invitation } from './invitation';
import { magicLink } from './magic-link';
import type { MailKindDefinition } from './mail-template';
import { mfaCode } from './mfa-code';
import { passwordReset } from './password-reset';
import { verifyEmail } from './verify-email';

/**
 * Every kind of mail, in one place: a feature that sends a new kind (invitations, MFA codes)
 * writes its `<kind>.ts` beside these (variables schema + en/es templates) and adds one line
 * here; `sendMail` is then typed for it.
 */
export const MAIL_KINDS = {
  verify_email: verifyEmail,
  password_reset: passwordReset,
  magic_link: magicLink,
  email_otp: emailOtp,
  mfa_code: mfaCode,
  invitation,
} satisfies Record<string, MailKindDefinition>;

export type MailKind = keyof typeof MAIL_KINDS;

/** The variables a kind's caller gives, e.g. `{ link }` for `verify_email`. */
export type MailVariables<K extends MailKind> = z.input<(typeof MAIL_KINDS)[K]['variables']>;

export function isMailKind(kind: string): kind is MailKind {
  return Object.hasOwn(MAIL_KINDS, kind);
}

export { MAIL_LOCALES } from './mail-template';
export type { MailLocale, MailKindDefinition } from './mail-template';
export { HTML_LAYOUT, BUTTON_PARTIAL } from './layout';
