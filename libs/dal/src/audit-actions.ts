/**
 * Every action an audit row may record, in one naming style: `<entity>.<past_tense>`, the grammar
 * of event types (docs/events.md). `docs/audit.md` is generated from this catalogue
 * (`npm run docs`), so the table cannot drift from what the planes write.
 *
 * Who did it is the row's `actor` (a CP admin, a user, `anonymous`), so one action serves a user
 * deleting their own account and an admin deleting it.
 */
export const AUDIT_ACTIONS = {
  'admin.signed_in': {
    plane: 'control-plane',
    description: 'A CP admin signed in, or failed to (`outcome` says which).',
  },
  'admin.created': { plane: 'control-plane', description: 'A CP admin was created.' },
  'admin.deleted': { plane: 'control-plane', description: 'A CP admin was deleted.' },
  'admin.updated': {
    plane: 'control-plane',
    description:
      "A CP admin's role or tenants changed, or it was disabled or enabled (its tokens issued before then stop working).",
  },
  'admin.refreshed': {
    plane: 'control-plane',
    description: 'A CP admin session exchanged its refresh token for a new pair.',
  },
  'admin.signed_out': { plane: 'control-plane', description: 'A CP admin session was ended.' },
  'admin.invitation_resent': {
    plane: 'control-plane',
    description:
      "An invited CP admin's invitation mail was sent again (earlier links stop working).",
  },
  'admin.invitation_accepted': {
    plane: 'control-plane',
    description: 'An invited CP admin chose a password and signed in, or failed to.',
  },
  'admin.totp_enrolment_started': {
    plane: 'control-plane',
    description: 'A CP admin started enrolling an authenticator (TOTP).',
  },
  'admin.totp_enrolled': {
    plane: 'control-plane',
    description: 'A CP admin confirmed an authenticator; its sign-ins now ask for a code.',
  },
  'admin.totp_removed': {
    plane: 'control-plane',
    description: 'A CP admin removed its authenticator and recovery codes.',
  },
  'admin.mfa_verified': {
    plane: 'control-plane',
    description: "A CP admin's second factor was checked at sign-in (`outcome` says how it went).",
  },
  'api_key.created': {
    plane: 'control-plane',
    description: 'An API key was created (`target`: its id; the secret is never recorded).',
  },
  'api_key.revoked': { plane: 'control-plane', description: 'An API key was revoked.' },
  'api_key.rotated': {
    plane: 'control-plane',
    description: "An API key's secret was replaced; the old one lives for the overlap asked for.",
  },
  'tenant.created': {
    plane: 'control-plane',
    description: 'A tenant was created; provisioning starts.',
  },
  'tenant.updated': { plane: 'control-plane', description: "A tenant's name or settings changed." },
  'tenant.deleted': {
    plane: 'control-plane',
    description: 'A tenant was marked for deletion; deprovisioning starts.',
  },
  'tenant.key_rotation_requested': {
    plane: 'control-plane',
    description: "A rotation of the tenant's signing keys was requested.",
  },
  'client.created': { plane: 'control-plane', description: 'An OAuth client was registered.' },
  'client.updated': { plane: 'control-plane', description: 'An OAuth client was changed.' },
  'client.deleted': { plane: 'control-plane', description: 'An OAuth client was deleted.' },
  'client.secret_rotated': {
    plane: 'control-plane',
    description: "A confidential client's secret was replaced.",
  },
  'resource.created': { plane: 'control-plane', description: 'An API resource was defined.' },
  'resource.updated': { plane: 'control-plane', description: 'An API resource was changed.' },
  'resource.deleted': {
    plane: 'control-plane',
    description: 'An API resource was deleted, with every client grant on it.',
  },
  'client.resource_granted': {
    plane: 'control-plane',
    description: "A client's scopes on an API resource were set (client credentials).",
  },
  'client.resource_revoked': {
    plane: 'control-plane',
    description: "A client's grant on an API resource was removed.",
  },
  'webhook.created': {
    plane: 'control-plane',
    description: 'A webhook was created (the signing secret is never recorded).',
  },
  'webhook.updated': {
    plane: 'control-plane',
    description: "A webhook's URL, event types, description or enabled flag changed.",
  },
  'webhook.deleted': {
    plane: 'control-plane',
    description: 'A webhook was deleted with its delivery log.',
  },
  'webhook.secret_rotated': {
    plane: 'control-plane',
    description:
      "A webhook's signing secret was replaced; the old one signs too for the overlap asked for.",
  },
  'webhook.delivery_retried': {
    plane: 'control-plane',
    description: 'An operator asked for one more attempt of a webhook delivery.',
  },
  'webhook.failing': {
    plane: 'control-plane',
    description:
      'A webhook delivery was given up on after its last retry; the webhook is marked failing until a delivery succeeds (`target`: the webhook id; `details`: tenant, delivery, event type, last error).',
  },
  'identity_provider.created': {
    plane: 'control-plane',
    description: 'An upstream identity provider was configured (its secret is never recorded).',
  },
  'identity_provider.updated': {
    plane: 'control-plane',
    description: "An upstream identity provider's settings or secret changed.",
  },
  'identity_provider.deleted': {
    plane: 'control-plane',
    description: 'An upstream identity provider was removed.',
  },
  'user.identity_linked': {
    plane: 'data-plane',
    description:
      'An upstream account was linked to a user (`details`: provider, how: new user, verified email, password).',
  },
  'user.identity_unlinked': {
    plane: 'data-plane',
    description: 'A user unlinked an upstream account.',
  },
  'user.signed_up': {
    plane: 'data-plane',
    description: 'A user created an account, or tried to (`outcome`, `details.reason`).',
  },
  'user.signed_in': {
    plane: 'data-plane',
    description: 'A user signed in, or failed to (wrong password, locked, disabled).',
  },
  'user.signed_out': { plane: 'data-plane', description: 'A session was ended by its user.' },
  'user.signed_out_everywhere': {
    plane: 'data-plane',
    description: 'Every session of a user was ended, by the user or by a tenant admin.',
  },
  'user.created': { plane: 'data-plane', description: 'A tenant admin created a user.' },
  'user.updated': {
    plane: 'data-plane',
    description: 'A tenant admin changed a user (profile, email, disabled flag).',
  },
  'user.deleted': {
    plane: 'data-plane',
    description:
      'A user was deleted, by themselves or by a tenant admin (`outcome: denied`, `details.reason` `last_owner` and `organizations` when they are the only owner of one).',
  },
  'user.password_changed': {
    plane: 'data-plane',
    description: 'A user changed their password, or failed to (wrong current password).',
  },
  'session.refreshed': {
    plane: 'data-plane',
    description: 'A refresh token was exchanged for a new pair.',
  },
  'session.revoked': {
    plane: 'data-plane',
    description:
      'A session was ended from the session list, by a tenant admin (`details.reason`: `admin_revoked`), by OAuth token revocation, or by the per-user session cap (`details.reason`: `session_limit`).',
  },
  'refresh_token.reused': {
    plane: 'data-plane',
    description: 'A spent refresh token was presented again; its whole session was revoked.',
  },
  'consent.granted': {
    plane: 'data-plane',
    description:
      'A user allowed an OAuth client the scopes it asked for (`details.client_id`, `scope`).',
  },
  'consent.denied': {
    plane: 'data-plane',
    description:
      'A user denied an OAuth client on the consent page (`details.client_id`, `scope`).',
  },
  'consent.revoked': {
    plane: 'data-plane',
    description:
      "A user withdrew an OAuth client's consent; the user's sessions with that client were ended (`details.client_id`, `sessions_revoked`).",
  },
  'mail.sent': {
    plane: 'data-plane',
    description:
      'A mail left the outbox (`target`: its outbox id; `details.kind`, `transport`: `smtp`, `tenant_smtp` or `dev_mailbox`).',
  },
  'mail.failed': {
    plane: 'data-plane',
    description:
      'A delivery attempt failed and will be retried (`details.kind`, `attempts`, `error`, `next_attempt_at`).',
  },
  'mail.dead': {
    plane: 'data-plane',
    description:
      'A mail was given up on: a permanent SMTP refusal, or still undelivered 24 h after it was queued (`details.kind`, `attempts`, `error`).',
  },
  'mail.template_fallback': {
    plane: 'data-plane',
    description:
      "A tenant's template override (settings `mail.templates`) could not be rendered; the built-in part was used (`details.kind`, `locale`, `part`, `error`).",
  },
  'email.verification_sent': {
    plane: 'data-plane',
    description: 'A verification link was mailed to a user (sign-up or `email/verify/send`).',
  },
  'email.verified': {
    plane: 'data-plane',
    description: 'A user proved their email address with a verification link; it is now verified.',
  },
  'password.reset_requested': {
    plane: 'data-plane',
    description:
      'A password reset link was asked for (`outcome: failure`, `details.reason`: no such active account; no mail then).',
  },
  'password.reset': {
    plane: 'data-plane',
    description: 'A user set a new password with a reset link; every session of the user ended.',
  },
  'magic_link.sent': {
    plane: 'data-plane',
    description: 'A sign-in link was asked for (`outcome: failure` when no mail went out).',
  },
  'magic_link.used': {
    plane: 'data-plane',
    description:
      'A user signed in with a sign-in link (`details.method`: `api` or `hosted_login`).',
  },
  'email_otp.sent': {
    plane: 'data-plane',
    description:
      'A one-time sign-in code was asked for (`outcome: failure` when no mail went out).',
  },
  'email_otp.used': {
    plane: 'data-plane',
    description: 'A user signed in with a one-time code, or failed to (`outcome`, attempts left).',
  },
  'mfa.enrolled': {
    plane: 'data-plane',
    description:
      'A user added a second factor (`details.type`: `totp`, `email_otp` or `webauthn`; `target`: the factor id).',
  },
  'mfa.removed': {
    plane: 'data-plane',
    description:
      'A user removed one of their second factors after re-authenticating (`target`: the factor id, `details.type`).',
  },
  'mfa.reset': {
    plane: 'data-plane',
    description:
      'A tenant admin removed every second factor and recovery code of a user (`details.factors_removed`).',
  },
  'mfa.challenged': {
    plane: 'data-plane',
    description:
      'A sign-in passed its first factor and now needs a second (`details.enrolment_required` when the user must enrol one first).',
  },
  'mfa.verified': {
    plane: 'data-plane',
    description:
      'A second factor was accepted at sign-in (`details.factor`: `totp`, `recovery_code`, `email_otp` or `webauthn`).',
  },
  'mfa.failed': {
    plane: 'data-plane',
    description:
      'A second-factor code or assertion was refused (`details.factor`, `reason`: wrong code, replay, locked).',
  },
  'mfa.recovery_codes_regenerated': {
    plane: 'data-plane',
    description: 'A user replaced their recovery codes with a fresh set (the old ones died).',
  },
  'role.created': {
    plane: 'data-plane',
    description:
      'A tenant admin created a role (`target`: its key; `details.organization_id` for an organization role).',
  },
  'role.updated': {
    plane: 'data-plane',
    description: "A role's name or permissions changed (`target`: its key, `details.fields`).",
  },
  'role.deleted': { plane: 'data-plane', description: 'A role was deleted (`target`: its key).' },
  'role.assigned': {
    plane: 'data-plane',
    description: 'A tenant admin gave a user a tenant role (`details.role`).',
  },
  'role.unassigned': {
    plane: 'data-plane',
    description: 'A tenant admin took a tenant role from a user (`details.role`).',
  },
  'organization.created': {
    plane: 'data-plane',
    description:
      'A user created an organization and became its owner, or a tenant admin created one (`target`: its id).',
  },
  'organization.updated': {
    plane: 'data-plane',
    description: "An organization's name or slug changed (`target`: its id, `details.fields`).",
  },
  'organization.deleted': {
    plane: 'data-plane',
    description:
      'An owner or a tenant admin deleted an organization with its members and invitations.',
  },
  'organization.switched': {
    plane: 'data-plane',
    description:
      "A session's active organization changed on refresh (`target`: the organization id; `outcome: denied` for a non-member).",
  },
  'membership.created': {
    plane: 'data-plane',
    description:
      'A user joined an organization (`target`: its id, `details.role`, `details.via`: `creation`, `invitation` or `admin`).',
  },
  'membership.updated': {
    plane: 'data-plane',
    description:
      "A member's organization role changed (`details.member`, `from`, `to`; `outcome: denied`, `details.reason: last_owner` when the last owner may not step down).",
  },
  'membership.removed': {
    plane: 'data-plane',
    description:
      'A member left or was removed from an organization (`details.member`, `left`; `outcome: denied`, `details.reason: last_owner` when it was the last owner).',
  },
  'invitation.created': {
    plane: 'data-plane',
    description: 'An invitation to an organization was mailed (`target`: its id, `details.role`).',
  },
  'invitation.revoked': {
    plane: 'data-plane',
    description: 'A pending invitation was revoked (`target`: its id).',
  },
  'invitation.accepted': {
    plane: 'data-plane',
    description:
      'An invited user accepted an invitation, or failed to (`outcome`, `details.reason`).',
  },
  'user_import.started': {
    plane: 'data-plane',
    description:
      'A tenant admin uploaded a user import (`target`: the job id; `details`: lines read, refused).',
  },
  'user_import.finished': {
    plane: 'data-plane',
    description:
      'A user import job ended (`outcome` success or failure; `details`: its counts and any reason).',
  },
  'user_export.downloaded': {
    plane: 'data-plane',
    description:
      "A tenant admin exported the tenant's users (`details.password_hashes`: whether hashes were included).",
  },
  'user.password_rehashed': {
    plane: 'data-plane',
    description:
      "An imported password hash matched at sign-in and was replaced with the tenant's own bcrypt hash (`details.algorithm`).",
  },
} as const satisfies Record<string, { plane: 'control-plane' | 'data-plane'; description: string }>;

/** An action name from {@link AUDIT_ACTIONS}. */
export type AuditAction = keyof typeof AUDIT_ACTIONS;

/**
 * The names earlier releases wrote, mapped to today's; the audit-log migrations of both planes
 * rewrite stored rows with it, so filters by action keep finding old entries.
 */
export const LEGACY_AUDIT_ACTIONS: Readonly<Record<string, AuditAction>> = {
  'admin.sign_in': 'admin.signed_in',
  'admin.create': 'admin.created',
  'admin.delete': 'admin.deleted',
  'tenant.create': 'tenant.created',
  'tenant.update': 'tenant.updated',
  'tenant.delete': 'tenant.deleted',
  'tenant.keys.rotate': 'tenant.key_rotation_requested',
  'client.create': 'client.created',
  'client.update': 'client.updated',
  'client.delete': 'client.deleted',
  'client.secret.rotate': 'client.secret_rotated',
  sign_up: 'user.signed_up',
  sign_in: 'user.signed_in',
  sign_out: 'user.signed_out',
  sign_out_all: 'user.signed_out_everywhere',
  'admin.user_sign_out': 'user.signed_out_everywhere',
  'admin.user_create': 'user.created',
  'admin.user_update': 'user.updated',
  'admin.user_delete': 'user.deleted',
  account_delete: 'user.deleted',
  password_change: 'user.password_changed',
  refresh: 'session.refreshed',
  session_revoke: 'session.revoked',
  refresh_token_reused: 'refresh_token.reused',
};
