import { z } from 'zod';
import { pageOf, safeText } from '@hellojohn/http';
import { GrantTenants, GrantTenantsInput, OperatorRole } from '../api-keys';

/** No NUL, no lone surrogate (`safeText`): two passwords must never hash as one. */
export const CreateAdminBody = z.strictObject({
  email: safeText(z.email().max(254)),
  password: safeText().min(12, 'must be at least 12 characters').max(256),
  role: OperatorRole.default('viewer'),
  tenants: GrantTenantsInput.optional(),
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
  created_at: z.string(),
});

export const AdminList = pageOf(Admin);
