import type { UserRow } from '@hellojohn/dal';
import { createMailTokens, type SendMail } from '../../one-time-tokens/mail-tokens';
import { createOneTimeCodes } from '../../one-time-tokens/one-time-code';
import type { TenantContext } from '../../tenancy/tenant-context';

/**
 * Six-digit codes mailed as a second factor. Their own purpose (`mfa_email`), so a code asked
 * for at the MFA step never signs anyone in through the passwordless routes, and the other way
 * round. Stored like sign-in codes (HMAC under a tenant subkey), one live code per user.
 */
export interface MfaEmailCodes {
  send(tenant: TenantContext, user: UserRow, locale: string): Promise<void>;
  /** Spends the user's live code when `code` matches; a wrong one counts an attempt. */
  consume(tenant: TenantContext, user: UserRow, code: string, now?: Date): Promise<boolean>;
}

export function createMfaEmailCodes(deps: {
  masterKey: Buffer;
  sendMail: SendMail;
}): MfaEmailCodes {
  const codes = createOneTimeCodes(deps.masterKey);
  // The sending (a fresh code replacing the last, stored and mailed in one transaction) is the
  // passwordless code's, with the second factor's own purpose and mail.
  const mailTokens = createMailTokens(deps);
  return {
    send: (tenant, user, locale) => mailTokens.sendCode(tenant, user, locale, 'mfa'),

    async consume(tenant, user, code, now = new Date()) {
      const tenantId = tenant.config.id;
      const live = await tenant.db.oneTimeTokens.findLive(user.id, 'mfa_email', now);
      if (!live || !/^\d{6}$/.test(code)) {
        codes.hash(tenantId, user.id, code);
        return false;
      }
      if (!codes.matches(tenantId, user.id, code, live.secretHash)) {
        await tenant.db.oneTimeTokens.recordFailedAttempt(live.id);
        return false;
      }
      const spent = await tenant.db.oneTimeTokens.consume('mfa_email', live.secretHash, now);
      return spent !== undefined && spent.email === user.email;
    },
  };
}
