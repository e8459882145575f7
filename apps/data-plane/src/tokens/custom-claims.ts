import {
  CUSTOM_CLAIMS_BUDGET_BYTES,
  customClaimsSchema,
  type CustomClaimRule,
} from '@hellojohn/config';
import type { TenantDb, UserRow } from '@hellojohn/dal';
import type { Authorization } from '../authorization/authorization-claims';
import type { TenantContext } from '../tenancy/tenant-context';

/** Where a custom claim may go (docs/apis.md#custom-claims). */
export type ClaimTarget = 'access' | 'id' | 'userinfo';

/** What `from` paths read: the user, their tenant roles and their active organization. */
export interface ClaimSubject {
  user: UserRow;
  roles: readonly string[];
  organization: {
    id: string;
    slug: string;
    name: string;
    role: string;
    metadata: Record<string, unknown>;
  } | null;
}

/**
 * The rules for a token: the client's own list when it has one (validated again here, since a
 * newer control plane may know rules this data plane does not: then none apply), else the
 * tenant's.
 */
export function claimRulesFor(
  tenant: TenantContext,
  client?: { custom_claims: readonly Record<string, unknown>[] | null },
): readonly CustomClaimRule[] {
  if (client?.custom_claims == null) return tenant.policy.customClaims;
  const parsed = customClaimsSchema.safeParse(client.custom_claims);
  return parsed.success ? parsed.data : [];
}

/** True when some rule puts a claim in `target`: only then is the subject worth reading. */
function hasClaimsFor(rules: readonly CustomClaimRule[], target: ClaimTarget): boolean {
  return rules.some((rule) => rule.tokens.includes(target));
}

/**
 * The subject of the claims: `authorization` (what the token's authorization claims were read
 * from) gives the roles and the active organization, whose details are read here.
 */
async function claimSubjectOf(
  db: TenantDb,
  user: UserRow,
  authorization: Authorization,
): Promise<ClaimSubject> {
  const membership = authorization.organization;
  const organization = membership ? await db.organizations.findById(membership.id) : undefined;
  return {
    user,
    roles: authorization.roles,
    organization: organization
      ? {
          id: organization.id,
          slug: organization.slug,
          name: organization.name,
          role: membership?.role ?? '',
          metadata: organization.metadata,
        }
      : null,
  };
}

function dig(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    if (!Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The value at a `from` path (the control plane checked its shape), or undefined. */
function valueAt(subject: ClaimSubject, path: string): unknown {
  const [root, ...rest] = path.split('.');
  const { user, organization } = subject;
  switch (root) {
    case 'id':
      return user.id;
    case 'email':
      return user.email;
    case 'email_verified':
      return user.emailVerified;
    case 'name':
      return user.name ?? undefined;
    case 'created_at':
      return Math.floor(user.createdAt.getTime() / 1000);
    case 'roles':
      return [...subject.roles];
    case 'metadata':
      return dig(user.metadata, rest);
    case 'org': {
      if (!organization) return undefined;
      const [field, ...deeper] = rest;
      if (field === 'metadata') return dig(organization.metadata, deeper);
      return field === 'id' || field === 'slug' || field === 'name' || field === 'role'
        ? organization[field]
        : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The custom claims of one token, in rule order: a rule whose `when` does not hold, or whose
 * `from` reads nothing, adds nothing; a claim that would take the token's custom claims past
 * {@link CUSTOM_CLAIMS_BUDGET_BYTES} is left out (and the later ones still tried), so a large
 * metadata value can never bloat a token.
 */
function customClaimsFor(
  rules: readonly CustomClaimRule[],
  subject: ClaimSubject,
  target: ClaimTarget,
): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  let bytes = 2; // `{}`
  for (const rule of rules) {
    if (!rule.tokens.includes(target)) continue;
    if (rule.when && valueAt(subject, rule.when.from) !== rule.when.equals) continue;
    const value = rule.value ?? (rule.from === undefined ? undefined : valueAt(subject, rule.from));
    if (value === undefined) continue;
    const size = Buffer.byteLength(JSON.stringify({ [rule.claim]: value })) - 1;
    if (bytes + size > CUSTOM_CLAIMS_BUDGET_BYTES) continue;
    claims[rule.claim] = value;
    bytes += size;
  }
  return claims;
}

/**
 * Reads what the rules need and returns the claims for each target asked: nothing is read when
 * no rule applies to them.
 */
export async function customClaimsOf(
  db: TenantDb,
  rules: readonly CustomClaimRule[],
  targets: readonly ClaimTarget[],
  subject: { user: UserRow | string; authorization: () => Promise<Authorization> },
): Promise<Partial<Record<ClaimTarget, Record<string, unknown>>>> {
  const wanted = targets.filter((target) => hasClaimsFor(rules, target));
  if (wanted.length === 0) return {};
  const user =
    typeof subject.user === 'string' ? await db.users.findById(subject.user) : subject.user;
  if (!user) return {};
  const claimSubject = await claimSubjectOf(db, user, await subject.authorization());
  return Object.fromEntries(
    wanted.map((target) => [target, customClaimsFor(rules, claimSubject, target)]),
  );
}
