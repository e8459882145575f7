import { normalizeEmail, type ImportedUserWrite } from '@hellojohn/dal';
import {
  normalizePasswordHash,
  PasswordHashProblem,
} from '../../credentials/imported/normalize-password-hash';
import type { ImportedIdentity, LineAccess, StagedAccess } from './import-access';
import { MAX_LINE_BYTES, type RawLine } from './read-import-body';
import { IGNORED_IMPORT_FIELDS, ImportLine } from './user-transfer.schemas';

/**
 * A valid line, as it waits in the job (JSON): what a batch writes, times as ISO strings, and the
 * roles, memberships and authenticator granted once the user is written.
 */
export type StagedUser = Omit<ImportedUserWrite, 'line' | 'createdAt'> & {
  createdAt?: string;
  access?: StagedAccess;
};

export type ParsedLine =
  | {
      ok: true;
      /** Without `access`: the service checks and seals {@link ParsedLine.access} first. */
      user: StagedUser;
      /** Roles, memberships and TOTP the line grants; the TOTP secret still in clear. */
      access?: LineAccess;
      /** Fields carried but not imported yet. */
      ignored: string[];
      /** A scheme's project key to seal once and name by id (`params.key_id`). */
      secretKey?: Buffer;
    }
  | { ok: false; reason: string };

/** The line's federated links, or why not: one upstream account listed twice refuses the line. */
function identitiesOf(listed: NonNullable<ImportLine['identities']>): ImportedIdentity[] | string {
  const identities: ImportedIdentity[] = [];
  for (const [i, identity] of listed.entries()) {
    // The schema requires one of the two.
    const subject = identity.subject ?? identity.sub ?? '';
    const providerId = identity.provider.toLowerCase();
    if (identities.some((x) => x.providerId === providerId && x.subject === subject)) {
      return `identities.${i}: the same upstream account is listed twice`;
    }
    identities.push({ providerId, subject, email: identity.email ?? null });
  }
  return identities;
}

/**
 * Validates one item of an upload. A refusal says which field is wrong and why, never what the
 * line held (it may hold a hash).
 */
export function parseImportLine(raw: RawLine): ParsedLine {
  if (raw.text === undefined) return { ok: false, reason: `longer than ${MAX_LINE_BYTES} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(raw.text);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, reason: 'must be a JSON object' };
  }
  const parsed = ImportLine.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    const message = issue?.code === 'unrecognized_keys' ? 'unknown field' : issue?.message;
    const field =
      issue?.code === 'unrecognized_keys'
        ? [path, issue.keys[0]?.slice(0, 64)].filter(Boolean).join('.')
        : path;
    return { ok: false, reason: `${field || 'line'}: ${message ?? 'is not valid'}` };
  }
  const line = parsed.data;
  let password: StagedUser['password'];
  let secretKey: Buffer | undefined;
  if (line.password_hash) {
    try {
      const normalized = normalizePasswordHash(line.password_hash);
      if (normalized.kind === 'native') password = normalized;
      else {
        password = {
          kind: 'imported',
          algorithm: normalized.algorithm,
          hash: normalized.hash,
          params: normalized.params,
        };
        secretKey = normalized.secretKey;
      }
    } catch (error) {
      if (error instanceof PasswordHashProblem) return { ok: false, reason: error.message };
      throw error;
    }
  }
  const user: StagedUser = {
    email: line.email.trim(),
    emailNormalized: normalizeEmail(line.email),
    ...(line.name !== undefined ? { name: line.name } : {}),
    ...(line.metadata !== undefined ? { metadata: line.metadata } : {}),
    ...(line.email_verified !== undefined ? { emailVerified: line.email_verified } : {}),
    ...(line.status !== undefined ? { status: line.status } : {}),
    ...(line.created_at !== undefined
      ? { createdAt: new Date(line.created_at).toISOString() }
      : {}),
    ...(password !== undefined ? { password } : {}),
  };
  const ignored = IGNORED_IMPORT_FIELDS.filter((field) => line[field] !== undefined);
  const identities = identitiesOf(line.identities ?? []);
  if (typeof identities === 'string') return { ok: false, reason: identities };
  const access: LineAccess = {
    roles: [...new Set(line.roles ?? [])],
    organizations: line.organizations ?? [],
    ...(line.mfa?.totp
      ? { totp: { secret: line.mfa.totp.secret, name: line.mfa.totp.name ?? null } }
      : {}),
    ...(identities.length > 0 ? { identities } : {}),
  };
  const grants =
    access.roles.length > 0 ||
    access.organizations.length > 0 ||
    access.totp !== undefined ||
    identities.length > 0;
  return {
    ok: true,
    user,
    ignored,
    ...(grants ? { access } : {}),
    ...(secretKey ? { secretKey } : {}),
  };
}
