import type { AdminOrganization } from '@hellojohn/sdk';
import { z } from 'zod';
import type { ToolContext } from '../context';
import { crudTools } from './crud-tools';
import {
  defineTool,
  itemResult,
  pageInput,
  pageOutput,
  pageResult,
  tenantInput,
  pageQuery,
} from './define-tool';
import { target, userRef } from './user-ref';

const organization = z
  .string()
  .min(1)
  .max(200)
  .describe('The organization: its id or slug (organizations_list).');
const slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/)
  .describe('Lowercase letters, digits and inner hyphens, unique in the tenant.');
const metadata = z
  .record(z.string(), z.unknown())
  .describe('Your own JSON object about the organization (replaced whole).');
const memberRole = z
  .string()
  .min(1)
  .max(64)
  .describe('owner, admin, member, or an organization role the tenant defined.');

/** The tenant's organizations as its admins manage them (the data plane's tenant-admin routes). */
function organizationsOf(ctx: ToolContext) {
  const orgs = (tenant: string) => ctx.dp(tenant).admin.organizations;
  type Api = ReturnType<typeof orgs>;
  return {
    list: async (tenant: string, query: { limit: number; cursor?: string }) =>
      orgs(tenant).list(await ctx.token(), query),
    get: async (tenant: string, id: string) => orgs(tenant).get(await ctx.token(), id),
    /** `owner_user` (an id or email, as every user argument here) becomes `owner_user_id`. */
    create: async (
      tenant: string,
      body: Omit<Parameters<Api['create']>[1], 'owner_user_id'> & { owner_user?: string },
    ) => {
      const { owner_user: owner, ...rest } = body;
      const ownerId =
        owner === undefined ? {} : { owner_user_id: (await target(ctx, tenant, owner)).id };
      return orgs(tenant).create(await ctx.token(), { ...rest, ...ownerId });
    },
    update: async (tenant: string, id: string, body: Parameters<Api['update']>[2]) =>
      orgs(tenant).update(await ctx.token(), id, body),
    delete: async (tenant: string, id: string) => orgs(tenant).remove(await ctx.token(), id),
  };
}

const memberOutput = { user_id: z.string(), email: z.string(), role: z.string() };

/** Organizations and their members (docs/organizations.md), as tenant admins. */
export const organizationTools = [
  ...crudTools<AdminOrganization>({
    area: 'organizations',
    noun: 'organizations',
    id: { name: 'organization', schema: organization },
    output: { id: z.string(), slug: z.string(), name: z.string() },
    label: (org) => `${org.slug} (${org.id})`,
    sdk: organizationsOf,
    list: {
      example: { tenant: 'acme' },
      title: "List a tenant's organizations",
      description:
        'Every organization of the tenant (id, slug, name, metadata), oldest first, one page at ' +
        'a time.',
    },
    get: {
      example: { tenant: 'acme', organization: 'globex' },
      title: 'Get an organization',
      description: 'One organization of the tenant, by id or slug, with its metadata.',
    },
    create: {
      example: { tenant: 'acme', name: 'Globex', slug: 'globex', owner_user: 'ada@example.com' },
      title: 'Create an organization',
      description:
        'Creates an organization in the tenant, optionally with a first owner (a user, by id or ' +
        'exact email). Members then sign in to it and carry org_id, org_role and permissions ' +
        'in their tokens.',
      input: {
        name: z.string().min(1).max(200),
        slug,
        metadata: metadata.optional(),
        owner_user: userRef.optional().describe('Its first owner: a user id or exact email.'),
      },
    },
    update: {
      example: { tenant: 'acme', organization: 'globex', name: 'Globex Corp.' },
      title: 'Change an organization',
      description: "Changes an organization's name, slug and/or metadata (the fields given).",
      input: {
        name: z.string().min(1).max(200).optional(),
        slug: slug.optional(),
        metadata: metadata.optional(),
      },
    },
    delete: {
      example: { tenant: 'acme', organization: 'globex', confirm: true },
      title: 'Delete an organization',
      description:
        'Deletes an organization with its memberships, roles and invitations; sessions signed in ' +
        'to it lose their org claims at the next refresh.',
    },
  }),
  defineTool({
    name: 'organizations_members_list',
    example: { tenant: 'acme', organization: 'globex' },
    title: "An organization's members",
    description: 'The members of an organization (user id, email, name, role, joined), paged.',
    kind: 'read',
    idempotent: true,
    input: { tenant: tenantInput, organization, ...pageInput },
    output: pageOutput,
    run: async (args, ctx) =>
      pageResult(
        await ctx
          .dp(args.tenant)
          .admin.organizations.members.list(await ctx.token(), args.organization, pageQuery(args)),
        'members',
      ),
  }),
  defineTool({
    name: 'organizations_members_set_role',
    example: { tenant: 'acme', organization: 'globex', user: 'ada@example.com', role: 'admin' },
    title: "Add a member or change a member's role",
    description:
      'Makes a user of the tenant a member of the organization with this role, or changes a ' +
      "member's role. The last owner cannot be demoted (make another owner first).",
    kind: 'write',
    idempotent: true,
    input: { tenant: tenantInput, organization, user: userRef, role: memberRole },
    output: memberOutput,
    run: async (args, ctx) => {
      const { dp, token, id } = await target(ctx, args.tenant, args.user);
      const member = await dp.admin.organizations.members.put(
        token,
        args.organization,
        id,
        args.role,
      );
      return itemResult(member, `${member.email} is ${member.role} of ${args.organization}`);
    },
  }),
  defineTool({
    name: 'organizations_members_remove',
    example: { tenant: 'acme', organization: 'globex', user: 'ada@example.com', confirm: true },
    title: 'Remove a member from an organization',
    description:
      'Removes a user from an organization: they lose its roles and permissions at their next ' +
      'token refresh. The last owner cannot be removed.',
    kind: 'destructive',
    idempotent: true,
    input: { tenant: tenantInput, organization, user: userRef },
    output: { removed: z.string() },
    run: async (args, ctx) => {
      const { dp, token, id } = await target(ctx, args.tenant, args.user);
      await dp.admin.organizations.members.remove(token, args.organization, id);
      return itemResult({ removed: id }, `removed ${id} from ${args.organization}`);
    },
  }),
];
