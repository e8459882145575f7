import { z } from 'zod';

// Identity events feed tenants' webhooks, so their data is what an application may see about its
// users: ids and plain attributes, never a password hash, a token, a code or a secret. Each
// description is the "when it fires" column of docs/webhooks.md (`npm run docs`).
const id = z.string().min(1);

/** `user.created` */
export const userCreatedDataSchema = z
  .object({
    user_id: id,
    email: z.string(),
    email_verified: z.boolean(),
    name: z.string().nullable(),
  })
  .describe('A user account was created: sign-up, by a tenant admin, by import or federation.');

/** `user.updated` */
export const userUpdatedDataSchema = z
  .object({ user_id: id, fields: z.array(z.string()) })
  .describe("A user's profile, email or disabled flag changed; `fields` names what changed.");

/** `user.deleted` */
export const userDeletedDataSchema = z
  .object({ user_id: id })
  .describe('A user was deleted, by themselves or by a tenant admin.');

/** `user.signed_in` */
export const userSignedInDataSchema = z
  .object({ user_id: id, session_id: id, method: z.string() })
  .describe(
    'A sign-in completed and opened `session_id`; `method` says how (`password`, `magic_link`, `passkey`, ...).',
  );

/** `user.password_changed` */
export const userPasswordChangedDataSchema = z
  .object({ user_id: id })
  .describe("A user's password was changed or reset.");

/** `session.revoked` */
export const sessionRevokedDataSchema = z
  .object({ user_id: id, session_id: id, reason: z.string().optional() })
  .describe(
    'A session ended before its expiry (sign-out, revocation, reuse); `reason` when known. Bulk revocations (sign-out everywhere, password change or reset, a disabled or deleted user) send one per session.',
  );

/** `mfa.enrolled` */
export const mfaEnrolledDataSchema = z
  .object({ user_id: id, factor_id: id, type: z.string() })
  .describe('A user confirmed a second factor (`type`: `totp`, `email_otp`, `webauthn`).');

const organization = z.object({ organization_id: id, slug: z.string(), name: z.string() });

/** `organization.created` */
export const organizationCreatedDataSchema = organization.describe(
  'An organization was created; its creator became its owner.',
);

/** `organization.updated` */
export const organizationUpdatedDataSchema = organization.describe(
  "An organization's name or slug changed (the data carries the new values).",
);

/** `organization.deleted` */
export const organizationDeletedDataSchema = z
  .object({ organization_id: id })
  .describe('An organization was deleted with its memberships and invitations.');

const membership = z.object({ organization_id: id, user_id: id, role: z.string() });

/** `membership.created` */
export const membershipCreatedDataSchema = membership.describe(
  'A user joined an organization with `role` (created it, accepted an invitation).',
);

/** `membership.updated` */
export const membershipUpdatedDataSchema = membership.describe(
  "A member's organization role changed; `role` is the new one.",
);

/** `membership.deleted` */
export const membershipDeletedDataSchema = z
  .object({ organization_id: id, user_id: id })
  .describe('A member left or was removed from an organization.');

export type UserCreatedData = z.infer<typeof userCreatedDataSchema>;
export type UserUpdatedData = z.infer<typeof userUpdatedDataSchema>;
export type UserDeletedData = z.infer<typeof userDeletedDataSchema>;
export type UserSignedInData = z.infer<typeof userSignedInDataSchema>;
export type UserPasswordChangedData = z.infer<typeof userPasswordChangedDataSchema>;
export type SessionRevokedData = z.infer<typeof sessionRevokedDataSchema>;
export type MfaEnrolledData = z.infer<typeof mfaEnrolledDataSchema>;
export type OrganizationCreatedData = z.infer<typeof organizationCreatedDataSchema>;
export type OrganizationUpdatedData = z.infer<typeof organizationUpdatedDataSchema>;
export type OrganizationDeletedData = z.infer<typeof organizationDeletedDataSchema>;
export type MembershipCreatedData = z.infer<typeof membershipCreatedDataSchema>;
export type MembershipUpdatedData = z.infer<typeof membershipUpdatedDataSchema>;
export type MembershipDeletedData = z.infer<typeof membershipDeletedDataSchema>;
