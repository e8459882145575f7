/**
 * What a limit counts per tenant: the client address, the account, one refresh token, the
 * OAuth client a request authenticated as, or the signed-in user (after the `user` guard).
 */
export type LimitSubject = 'ip' | 'email' | 'refresh_token' | 'client' | 'mfa_token' | 'user';

export interface LimitRule {
  subject: LimitSubject;
  /** Requests allowed per window. */
  points: number;
  /** Fixed window, seconds. */
  durationSeconds: number;
}

/**
 * Every request limit of the data plane, in one place (docs/operations.md repeats it). Budgets
 * are per tenant: keys always start with the tenant id, so one tenant's traffic never spends
 * another's. Failed sign-ins per account are limited separately by the lockout (tenant policy).
 */
export const LIMITS = {
  // Password guessing from one address. Room for an office behind one NAT signing in together.
  sign_in_ip: { subject: 'ip', points: 20, durationSeconds: 60 },
  // Guessing one account from many addresses, and bcrypt work spent on one account. Above the
  // default lockout (10 failures) so a mistyping user meets `account_locked`, not this.
  sign_in_account: { subject: 'email', points: 20, durationSeconds: 60 },
  // Mass account creation from one address.
  sign_up_ip: { subject: 'ip', points: 10, durationSeconds: 60 },
  // Hammering one address (probing `email_taken`, or racing duplicate sign-ups).
  sign_up_account: { subject: 'email', points: 5, durationSeconds: 60 },
  // Every tab of every app behind one address refreshes about once per access-token lifetime.
  refresh_ip: { subject: 'ip', points: 60, durationSeconds: 60 },
  // One refresh token is spent once (twice when tabs race): more is a replay or a broken client.
  refresh_token: { subject: 'refresh_token', points: 10, durationSeconds: 60 },
  // OAuth endpoints (docs/oidc.md). Secrets are 256-bit, so these bound load, not guessing: per
  // address before the client authenticates, per client after it did (so nobody spends another
  // client's budget by naming it). A machine client fetches a token about once per lifetime.
  oauth_token_ip: { subject: 'ip', points: 120, durationSeconds: 60 },
  oauth_token_client: { subject: 'client', points: 120, durationSeconds: 60 },
  // Resource servers may introspect on every request they serve (they should cache answers).
  oauth_introspect_ip: { subject: 'ip', points: 600, durationSeconds: 60 },
  oauth_introspect_client: { subject: 'client', points: 600, durationSeconds: 60 },
  oauth_revoke_ip: { subject: 'ip', points: 60, durationSeconds: 60 },
  oauth_revoke_client: { subject: 'client', points: 60, durationSeconds: 60 },
  // The hosted login's pages (authorize, sign-in and consent pages, end-session): each sign-in
  // takes a few; room for an office behind one NAT signing in to several apps.
  hosted_page_ip: { subject: 'ip', points: 120, durationSeconds: 60 },
  // OIDC UserInfo: a relying party may ask on every page view of a signed-in user.
  oauth_userinfo_ip: { subject: 'ip', points: 600, durationSeconds: 60 },
  // Mails sent on request (password reset, sign-in link, email code, verification): each one
  // costs a delivery and lands in someone's inbox, so a few per address and per account.
  mail_send_ip: { subject: 'ip', points: 10, durationSeconds: 60 },
  mail_send_account: { subject: 'email', points: 3, durationSeconds: 300 },
  // Spending one-time links and codes. Links are 256-bit (no guessing); codes are 6 digits, each
  // dies after 5 wrong tries, and these bound how fast new codes can be guessed at.
  one_time_token_ip: { subject: 'ip', points: 30, durationSeconds: 60 },
  email_otp_verify_account: { subject: 'email', points: 10, durationSeconds: 300 },
  // One sign-in's MFA step (mfa_token): 5 wrong codes kill the token anyway; this bounds mail
  // sends and enrolment calls made with one token.
  mfa_token: { subject: 'mfa_token', points: 10, durationSeconds: 60 },
  // Passkey challenges (each a stored row for 5 minutes): sign-in and registration options per
  // address, and per account when the body names an email (it feeds only this budget).
  passkey_options_ip: { subject: 'ip', points: 30, durationSeconds: 60 },
  passkey_options_account: { subject: 'email', points: 10, durationSeconds: 60 },
  // Passkey assertions cannot be guessed (signatures); this bounds the verification work.
  passkey_sign_in_ip: { subject: 'ip', points: 30, durationSeconds: 60 },
  // Organizations (docs/organizations.md), per signed-in user: creating one is rare (each is
  // rows and an audit trail), and each invitation lands in someone's inbox. Generous for a team
  // onboarding its people, small for a script spamming addresses through one account.
  organization_create_user: { subject: 'user', points: 10, durationSeconds: 3600 },
  invitation_send_user: { subject: 'user', points: 50, durationSeconds: 3600 },
  // Mail a signed-in user asks for about their own account (verification links, enrolment
  // codes): the address is theirs, so the budget is the account's, whatever the IP.
  mail_send_user: { subject: 'user', points: 5, durationSeconds: 300 },
} as const satisfies Record<string, LimitRule>;

export type LimitKind = keyof typeof LIMITS;

/** Per-kind overrides (tests, or an operator tuning one budget). */
export type LimitOverrides = Partial<
  Record<LimitKind, Pick<LimitRule, 'points' | 'durationSeconds'>>
>;
