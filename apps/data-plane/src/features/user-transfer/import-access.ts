import type { OrganizationRow, RoleRow, TenantDb } from '@hellojohn/dal';
import { organizationRole } from '../../authorization/authorization-claims';

/** What an import line grants besides its profile: tenant roles, memberships, an authenticator. */
export interface LineAccess {
  /** Tenant-wide role keys. */
  roles: string[];
  organizations: Array<{ slug?: string | undefined; id?: string | undefined; role: string }>;
  /** A TOTP secret (base32), still in clear: the service seals it before the line is staged. */
  totp?: { secret: string; name: string | null };
  /** Upstream accounts to link, by identity provider id and `sub` (none when absent). */
  identities?: ImportedIdentity[];
}

/** A federated link an import line brings. */
export interface ImportedIdentity {
  providerId: string;
  subject: string;
  email: string | null;
}

const quoted = (name: string): string => JSON.stringify(name.slice(0, 100));

/** The ids of a tenant's identity providers (the federation directory has this shape). */
export interface IdentityProviderIds {
  list(tenantId: string): Promise<ReadonlyArray<{ id: string }>>;
}

/**
 * Checks a line's identity providers against the tenant's, read once per upload (when a line first
 * names one), so an id that links to nothing is refused with its line rather than stored.
 */
export function createProviderCheck(
  providers: IdentityProviderIds,
  tenantId: string,
): (identities: readonly ImportedIdentity[]) => Promise<string | undefined> {
  let known: Promise<ReadonlySet<string>> | undefined;
  return async (identities) => {
    if (identities.length === 0) return undefined;
    known ??= providers
      .list(tenantId)
      .then((list) => new Set(list.map((provider) => provider.id.toLowerCase())));
    const ids = await known;
    const unknown = identities.findIndex((identity) => !ids.has(identity.providerId));
    if (unknown < 0) return undefined;
    const id = quoted(identities[unknown]?.providerId ?? '');
    return `identities.${unknown}.provider: the tenant has no identity provider ${id}`;
  };
}

/** {@link LineAccess} as it waits in the job: the TOTP secret sealed for the factor it becomes. */
export interface StagedAccess extends Omit<LineAccess, 'totp'> {
  totp?: { factorId: string; sealed: string; name: string | null };
}

/** Role and organization names resolved to the rows they stand for in the tenant. */
export interface ResolvedAccess {
  roleIds: string[];
  memberships: Array<{ organizationId: string; slug: string; role: string }>;
}

/** Resolves a line's roles and organizations, or says which one the tenant lacks. */
export type AccessResolver = (
  access: Pick<LineAccess, 'roles' | 'organizations'>,
) => Promise<{ ok: true; resolved: ResolvedAccess } | { ok: false; reason: string }>;

/** Lookups remembered per resolver; past this, the memory starts over (a file of many names). */
const MAX_REMEMBERED = 10_000;

function remembered<T>(): (key: string, load: () => Promise<T>) => Promise<T> {
  const seen = new Map<string, Promise<T>>();
  return (key, load) => {
    let found = seen.get(key);
    if (found === undefined) {
      if (seen.size >= MAX_REMEMBERED) seen.clear();
      found = load();
      seen.set(key, found);
    }
    return found;
  };
}

/**
 * Resolves names against the tenant: tenant roles by key, organizations by slug (portable from
 * one tenant to another) or else by id, a membership's role among the organization's own roles
 * or the tenant-wide ones. An import never creates roles or organizations: an unknown one refuses
 * the line and its reason names it. Lookups are remembered, so a file naming the same few roles
 * on every line costs a few queries, not one per line.
 */
export function createAccessResolver(db: TenantDb): AccessResolver {
  const role = remembered<RoleRow | undefined>();
  const organization = remembered<OrganizationRow | undefined>();
  const orgRole = remembered<RoleRow | undefined>();
  return async (access) => {
    const roleIds: string[] = [];
    for (const [i, key] of access.roles.entries()) {
      const row = await role(key, () => db.roles.findByKey(null, key));
      if (!row) return { ok: false, reason: `roles.${i}: unknown role ${quoted(key)}` };
      roleIds.push(row.id);
    }
    const memberships: ResolvedAccess['memberships'] = [];
    for (const [i, ref] of access.organizations.entries()) {
      const name = ref.slug ?? ref.id ?? '';
      const org =
        ref.slug !== undefined
          ? await organization(`slug:${ref.slug}`, () => db.organizations.findBySlug(name))
          : await organization(`id:${name}`, () => db.organizations.findById(name));
      if (!org) {
        return { ok: false, reason: `organizations.${i}: unknown organization ${quoted(name)}` };
      }
      if (memberships.some((m) => m.organizationId === org.id)) {
        return {
          ok: false,
          reason: `organizations.${i}: organization ${quoted(name)} is listed twice`,
        };
      }
      const held = await orgRole(`${org.id}:${ref.role}`, () =>
        organizationRole(db, org.id, ref.role),
      );
      if (!held) {
        return {
          ok: false,
          reason: `organizations.${i}.role: no role ${quoted(ref.role)} in organization ${quoted(name)}`,
        };
      }
      memberships.push({ organizationId: org.id, slug: org.slug, role: ref.role });
    }
    return { ok: true, resolved: { roleIds, memberships } };
  };
}
