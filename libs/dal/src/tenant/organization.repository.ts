import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbJsonObject, toJson } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';
import { likePattern } from '../internal/like';

const organizationSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    metadata: dbJsonObject,
    created_at: dbDate,
    updated_at: dbDate,
  })
  .transform((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    metadata: r.metadata,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));

/** An organization: a team of users inside one tenant (docs/organizations.md). */
export type OrganizationRow = z.output<typeof organizationSchema>;

/** What {@link OrganizationRepository.create} needs. */
export interface NewOrganization {
  id: string;
  slug: string;
  name: string;
  metadata?: Record<string, unknown>;
}

/** What {@link OrganizationRepository.update} may change. */
export type OrganizationPatch = Partial<Pick<OrganizationRow, 'slug' | 'name' | 'metadata'>>;

/** An organization seen by one of its members: with that member's role. */
export type MemberOrganizationRow = OrganizationRow & { role: string };

/** A tenant's organizations. */
export interface OrganizationRepository {
  /** Throws `ConflictError` when the slug is taken. */
  create(organization: NewOrganization): Promise<OrganizationRow>;
  findById(id: string): Promise<OrganizationRow | undefined>;
  /** The organization with this slug (a user import names organizations by slug). */
  findBySlug(slug: string): Promise<OrganizationRow | undefined>;
  /** Throws `ConflictError` when the new slug is taken. */
  update(id: string, patch: OrganizationPatch): Promise<OrganizationRow | undefined>;
  /** Deletes it with its memberships, invitations and roles; false when unknown. */
  delete(id: string): Promise<boolean>;
  /**
   * Every organization of the tenant, oldest first, a page at a time (tenant admins).
   * `search` keeps those whose name contains it (any case) or whose slug starts with it.
   */
  page(request: PageRequest & { search?: string | undefined }): Promise<Page<OrganizationRow>>;
  /** The organizations the user is a member of, oldest first, with the user's role in each. */
  listForUser(userId: string): Promise<MemberOrganizationRow[]>;
  /** {@link OrganizationRepository.listForUser} a page at a time (keyset on creation, id). */
  pageForUser(userId: string, request: PageRequest): Promise<Page<MemberOrganizationRow>>;
}

/** Reads an `organizations` row. */
function parseOrganization(row: unknown): OrganizationRow {
  return organizationSchema.parse(row);
}

/** Builds the organization repository over a tenant's knex handle or transaction. */
export function createOrganizationRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): OrganizationRepository {
  const forUser = (userId: string) =>
    db('organizations')
      .join('memberships', 'memberships.organization_id', 'organizations.id')
      .where('memberships.user_id', userId)
      .select('organizations.*', 'memberships.role as member_role');
  const parseMember = (row: unknown): MemberOrganizationRow => ({
    ...parseOrganization(row),
    role: z.object({ member_role: z.string() }).parse(row).member_role,
  });
  const findById = async (id: string): Promise<OrganizationRow | undefined> => {
    const row: unknown = await db('organizations').where({ id }).first();
    return row === undefined ? undefined : parseOrganization(row);
  };
  return {
    async create(organization) {
      const now = new Date();
      const raw = {
        id: organization.id,
        slug: organization.slug,
        name: organization.name,
        metadata: toJson(organization.metadata ?? {}),
        created_at: now,
        updated_at: now,
      };
      try {
        await db('organizations').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parseOrganization(raw);
    },
    findById,
    async findBySlug(slug) {
      const row: unknown = await db('organizations').where({ slug }).first();
      return row === undefined ? undefined : parseOrganization(row);
    },
    async update(id, patch) {
      const changes: Record<string, unknown> = { updated_at: new Date() };
      if (patch.slug !== undefined) changes['slug'] = patch.slug;
      if (patch.name !== undefined) changes['name'] = patch.name;
      if (patch.metadata !== undefined) changes['metadata'] = toJson(patch.metadata);
      let count: number;
      try {
        count = await db('organizations').where({ id }).update(changes);
      } catch (err) {
        throw mapDbError(err);
      }
      return count === 0 ? undefined : findById(id);
    },
    async delete(id) {
      return (await db('organizations').where({ id }).delete()) > 0;
    },
    page(request) {
      const query = db('organizations').select('*');
      const search = request.search?.trim().toLowerCase();
      if (search) {
        // Bound, never built; explicit ESCAPE because SQLite has no default one.
        void query.where((q) => {
          void q
            .whereRaw('lower(??) like ? escape ?', ['name', likePattern(search, 'contains'), '\\'])
            .orWhereRaw('?? like ? escape ?', ['slug', likePattern(search, 'prefix'), '\\']);
        });
      }
      return keysetPage(query, request, parseOrganization, { cursors });
    },
    async listForUser(userId) {
      const rows = (await forUser(userId).orderBy([
        { column: 'organizations.created_at', order: 'asc' },
        { column: 'organizations.id', order: 'asc' },
      ])) as unknown[];
      return rows.map(parseMember);
    },
    pageForUser(userId, request) {
      return keysetPage(forUser(userId), request, parseMember, {
        cursors,
        by: { column: 'organizations.created_at', value: (row) => row.createdAt },
        idColumn: 'organizations.id',
      });
    },
  };
}
