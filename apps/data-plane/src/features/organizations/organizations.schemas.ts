import type { MemberOrganizationRow, MemberRow } from '@hellojohn/dal';
import { pageOf, pageQuery, safeText } from '@hellojohn/http';
import { z } from 'zod';
import { RoleKey } from '../../authorization/permissions';

export const OrganizationSlug = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'A slug is lowercase letters, digits and inner "-" (max 63).',
  )
  .describe('Unique in the tenant, e.g. `acme`.');

export const OrganizationName = safeText().trim().min(1).max(200);

export const Organization = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    role: z.string().describe('Your role in it.'),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .describe('An organization you are a member of');

export const OrganizationList = pageOf(Organization);

/** `?limit=&cursor=` of the organization lists: the default page (50) is usually all of it. */
export const OrgListQuery = pageQuery.extend({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .describe('Page size, 1-100 (default 50).'),
});

export const CreateOrganizationBody = z.strictObject({
  name: OrganizationName,
  slug: OrganizationSlug,
});

export const PatchOrganizationBody = z.strictObject({
  name: OrganizationName.optional(),
  slug: OrganizationSlug.optional(),
});

/** Not strict: `/t/{tenant}` merges its `tenant` param in. */
export const OrganizationParams = z.object({ org: z.string().min(1).max(64) });

export const MemberParams = z.object({
  org: z.string().min(1).max(64),
  user_id: z.string().min(1).max(64),
});

export const OrgRoleParams = z.object({ org: z.string().min(1).max(64), role: RoleKey });

export const Member = z.object({
  user_id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.string(),
  joined_at: z.string(),
});

export const MemberList = pageOf(Member);

export const PatchMemberBody = z.strictObject({
  role: RoleKey.describe('`owner`, `admin`, `member`, or a custom role of the organization.'),
});

export function toOrganizationView(org: MemberOrganizationRow): z.input<typeof Organization> {
  return {
    id: org.id,
    slug: org.slug,
    name: org.name,
    role: org.role,
    created_at: org.createdAt.toISOString(),
    updated_at: org.updatedAt.toISOString(),
  };
}

export function toMemberView(member: MemberRow): z.input<typeof Member> {
  return {
    user_id: member.userId,
    email: member.email,
    name: member.name,
    role: member.role,
    joined_at: member.createdAt.toISOString(),
  };
}
