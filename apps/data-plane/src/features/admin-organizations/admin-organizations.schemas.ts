import type { OrganizationRow } from '@hellojohn/dal';
import { pageOf, safeText } from '@hellojohn/http';
import { z } from 'zod';
import { Metadata } from '../../users/user.schemas';
import { OrganizationName, OrganizationSlug, OrgListQuery } from '../organizations';

/** An organization as tenant admins see it: with its metadata, without a caller's role. */
export const AdminOrganization = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .describe('An organization of the tenant');

export const AdminOrganizationList = pageOf(AdminOrganization);

export const AdminOrganizationQuery = OrgListQuery.extend({
  search: safeText()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Keeps organizations whose name contains it (any case) or whose slug starts with it.',
    ),
});

export const CreateAdminOrganizationBody = z.strictObject({
  name: OrganizationName,
  slug: OrganizationSlug,
  owner_user_id: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      'A user of the tenant to make its first `owner`; omit for an organization with no member yet.',
    ),
  metadata: Metadata.optional(),
});

export const PatchAdminOrganizationBody = z.strictObject({
  name: OrganizationName.optional(),
  slug: OrganizationSlug.optional(),
  metadata: Metadata.optional().describe('Replaces the whole object.'),
});

export function toAdminOrganizationView(org: OrganizationRow): z.input<typeof AdminOrganization> {
  return {
    id: org.id,
    slug: org.slug,
    name: org.name,
    metadata: org.metadata,
    created_at: org.createdAt.toISOString(),
    updated_at: org.updatedAt.toISOString(),
  };
}
