import { z } from 'zod';
import { pageOf, safeText } from '@hellojohn/http';

const AdminRole = z.enum(['owner', 'viewer']);

/** No NUL, no lone surrogate (`safeText`): two passwords must never hash as one. */
export const CreateAdminBody = z.strictObject({
  email: safeText(z.email().max(254)),
  password: safeText().min(12, 'must be at least 12 characters').max(256),
  role: AdminRole.default('viewer'),
});

export const AdminParams = z.strictObject({ id: z.uuid() });

export const Admin = z.object({
  id: z.string(),
  email: z.string(),
  role: AdminRole,
  created_at: z.string(),
});

export const AdminList = pageOf(Admin);
