import { z } from 'zod';
import { pageOf, safeText } from '@hellojohn/http';
import { GrantTenants, GrantTenantsInput, OperatorRole } from '../api-keys';

/**
 * No NUL, no lone surrogate (`safeText`): two passwords must never hash as one. Without a
 * password (or with `invite: true`) the admin is invited by mail and chooses its own.
 */
export const CreateAdminBody = z
  .strictObject({
    email: safeText(z.email().max(254)),
    password: safeText().min(12, 'must be at least 12 characters').max(256).optional(),
    invite: z
      .boolean()
      .optional()
      .describe('Mail an invitation link instead of setting a password (the default without one)'),
    role: OperatorRole.default('viewer'),
    tenants: GrantTenantsInput.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.invite === true && body.password !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['password'],
        message: 'an invited admin chooses its own password; leave password out',
      });
    }
    if (body.invite === false && body.password === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['password'],
        message: 'required unless the admin is invited',
      });
    }
  });

/** Any subset; `disabled: true` ends every session of the admin on both planes. */
export const UpdateAdminBody = z
  .strictObject({
    role: OperatorRole.optional(),
    tenants: GrantTenantsInput.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one field');

export const AdminParams = z.strictObject({ id: z.uuid() });

export const Admin = z.object({
  id: z.string(),
  email: z.string(),
  role: OperatorRole,
  tenants: GrantTenants,
  disabled: z.boolean(),
  status: z
    .enum(['invited', 'active', 'disabled'])
    .describe('`invited` until the invitation is accepted; `disabled` wins over both'),
  created_at: z.string(),
});

/** A created or re-invited admin: how its invitation mail left, if one was sent. */
export const InvitedAdmin = Admin.extend({
  invitation: z
    .object({
      expires_at: z.string(),
      mail: z
        .enum(['sent', 'logged', 'failed'])
        .describe(
          '`logged`: no SMTP server outside production, the link is in the log; `failed`: resend once mail works',
        ),
    })
    .optional(),
});

export const AdminList = pageOf(Admin);
