/**
 * The frozen catalogue of machine-readable error codes. A code is never renamed once released:
 * clients branch on it. `docs/errors.md` is generated from this table.
 */
export const ERROR_CODES = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_request: { status: 400, title: 'The request is not valid HTTP/1.1' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  invalid_cursor: { status: 400, title: 'The pagination cursor is not valid' },
  invalid_link_token: {
    status: 400,
    title: 'The link is invalid, expired or was already used',
  },
  tenant_mismatch: { status: 400, title: 'The path and X-Tenant-ID name different tenants' },
  passkey_registration_failed: { status: 400, title: 'The passkey could not be registered' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  invalid_token: { status: 401, title: 'The access token is invalid or expired' },
  invalid_credentials: { status: 401, title: 'The email or password is incorrect' },
  refresh_token_invalid: { status: 401, title: 'The refresh token is invalid or expired' },
  refresh_token_reused: { status: 401, title: 'The refresh token was already used' },
  invalid_one_time_code: { status: 401, title: 'The code is incorrect or expired' },
  invalid_passkey: { status: 401, title: 'The passkey could not be verified' },
  mfa_token_invalid: {
    status: 401,
    title: 'The MFA token is invalid, expired or was already used; sign in again',
  },
  invalid_mfa_code: { status: 401, title: 'The code is incorrect, expired or was already used' },
  forbidden: { status: 403, title: 'This action is not allowed' },
  mfa_disabled: { status: 403, title: 'Multi-factor authentication is off for this tenant' },
  feature_disabled: { status: 403, title: 'This feature is turned off for this tenant' },
  insufficient_role: { status: 403, title: 'Your role does not allow this action' },
  not_organization_member: { status: 403, title: 'You are not a member of this organization' },
  sign_up_disabled: { status: 403, title: 'Sign-up is disabled for this tenant' },
  email_not_verified: { status: 403, title: 'Verify your email address before signing in' },
  route_not_found: { status: 404, title: 'No such route' },
  tenant_not_found: { status: 404, title: 'No such tenant' },
  admin_not_found: { status: 404, title: 'No such admin' },
  client_not_found: { status: 404, title: 'No such client' },
  user_not_found: { status: 404, title: 'No such user' },
  session_not_found: { status: 404, title: 'No such session' },
  consent_not_found: { status: 404, title: 'No such consent' },
  mfa_factor_not_found: { status: 404, title: 'No such factor (or its enrolment expired)' },
  role_not_found: { status: 404, title: 'No such role' },
  organization_not_found: { status: 404, title: 'No such organization' },
  member_not_found: { status: 404, title: 'No such member' },
  invitation_not_found: { status: 404, title: 'No such invitation' },
  invalid_invitation: {
    status: 404,
    title: 'The invitation is invalid, expired, already used or not for you',
  },
  request_timeout: { status: 408, title: 'The request took too long to arrive' },
  tenant_slug_taken: { status: 409, title: 'A tenant with this slug already exists' },
  admin_email_taken: { status: 409, title: 'An admin with this email already exists' },
  last_admin: { status: 409, title: 'The last admin cannot be removed' },
  role_key_taken: { status: 409, title: 'A role with this key already exists' },
  role_in_use: { status: 409, title: 'The role is built in or still held and cannot be deleted' },
  organization_slug_taken: { status: 409, title: 'An organization with this slug already exists' },
  already_member: { status: 409, title: 'The user is a member of this organization already' },
  last_owner: { status: 409, title: 'An organization must keep at least one owner' },
  email_taken: { status: 409, title: 'An account with this email already exists' },
  mfa_factor_exists: { status: 409, title: 'This factor is enrolled already' },
  tenant_not_ready: { status: 409, title: 'The tenant is not in a state that allows this' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request body must be application/json' },
  weak_password: { status: 422, title: 'The password does not meet the password policy' },
  rate_limited: { status: 429, title: 'Too many requests' },
  account_locked: { status: 429, title: 'Too many failed attempts; try again later' },
  headers_too_large: { status: 431, title: 'The request line and headers are too large' },
  unexpected_failure: { status: 500, title: 'Something went wrong on our side' },
  service_unavailable: { status: 503, title: 'A dependency is unavailable; try again shortly' },
  tenant_unavailable: { status: 503, title: "The tenant's database is unavailable" },
} as const satisfies Record<string, { status: number; title: string }>;

/** One of the catalogue's codes. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Base URI of the `type` member of problem documents. */
export const PROBLEM_TYPE_BASE = 'https://hellojohn.dev/errors/';
