import { z } from 'zod';
import { RoleKey } from '../../authorization/permissions';
import { Email } from '../../credentials/credential.schemas';
import { PasswordHashInput } from '../../credentials/imported/password-hash.schemas';
import { Metadata, Name } from '../../users/user.schemas';

/**
 * Fields an import line may carry that are not imported: validated, counted per field in the
 * job's `ignored_fields`, reported in its `warnings`, and otherwise left alone. None today; kept
 * so a field accepted before it is imported is reported, not dropped silently.
 */
export const IGNORED_IMPORT_FIELDS: ReadonlyArray<keyof ImportLine> = [];

/** An organization membership: the organization by slug (portable between tenants) or id. */
const ImportMembership = z
  .strictObject({
    slug: z.string().min(1).max(100).optional(),
    id: z.string().min(1).max(64).optional(),
    role: RoleKey,
  })
  .refine((m) => m.slug !== undefined || m.id !== undefined, {
    error: "needs the organization's slug or id",
  });

/** RFC 4648 base32, as authenticator apps show it (spaces and case forgiven, padding optional). */
const Base32Secret = z
  .string()
  .max(200)
  .transform((value) => value.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase())
  .pipe(
    z
      .string()
      .regex(/^[A-Z2-7]+$/, 'must be base32 (A-Z, 2-7)')
      .min(16, 'must hold at least 80 bits (16 base32 characters)')
      .max(128, 'must hold at most 640 bits (128 base32 characters)'),
  );

/** Second factors an import brings: a TOTP secret becomes a confirmed authenticator. */
const ImportMfa = z.strictObject({
  totp: z
    .strictObject({
      secret: Base32Secret.describe(
        'The shared secret (SHA-1, 6 digits, 30 s: RFC 6238 defaults).',
      ),
      name: z.string().min(1).max(200).nullable().optional(),
    })
    .optional(),
});

/** An upstream account's `sub` as `user_identities` keeps it. */
const Subject = z.string().trim().min(1).max(255);

/**
 * A federated link: the tenant's identity provider by its id (the control plane's, as federation
 * keys links) and the upstream `sub` (`subject`, or `sub` as OIDC names it). Other fields a
 * source exports (Auth0's `connection`, `isSocial`) are accepted and left alone.
 */
const ImportIdentity = z
  .looseObject({
    provider: z.uuid({
      error: "must be the id of one of the tenant's identity providers (a UUID), not its name",
    }),
    subject: Subject.optional(),
    sub: Subject.optional(),
    email: z.string().max(320).nullable().optional(),
  })
  .refine((i) => i.subject !== undefined || i.sub !== undefined, {
    error: 'needs the upstream account id (`subject` or `sub`)',
    path: ['subject'],
  })
  .refine((i) => i.subject === undefined || i.sub === undefined || i.subject === i.sub, {
    error: '`subject` and `sub` differ',
    path: ['sub'],
  });

/** One line of a user import (JSON Lines) or one element of a JSON array. */
export const ImportLine = z.strictObject({
  email: Email,
  email_verified: z.boolean().optional(),
  name: Name.nullable().optional(),
  metadata: Metadata.optional(),
  created_at: z.iso.datetime({ offset: true }).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  password_hash: PasswordHashInput.optional(),
  // An export's own fields: a user's id and update time are the target tenant's, not kept.
  id: z.string().max(64).optional(),
  updated_at: z.string().max(64).optional(),
  identities: z.array(ImportIdentity).max(50).optional(),
  mfa: ImportMfa.optional(),
  roles: z.array(RoleKey).max(100).optional(),
  organizations: z.array(ImportMembership).max(100).optional(),
});
export type ImportLine = z.infer<typeof ImportLine>;

/** `202` of an accepted upload. */
export const ImportAccepted = z.object({ job_id: z.string() });

export const ImportJobParams = z.object({ job_id: z.string().min(1).max(64) });

export const ImportJob = z.object({
  job_id: z.string(),
  status: z
    .enum(['receiving', 'queued', 'running', 'succeeded', 'failed'])
    .describe(
      '`queued` and `running` jobs resume after a restart from their last committed batch.',
    ),
  total: z.number().int().describe('Lines read.'),
  imported: z.number().int().describe('Users created.'),
  updated: z.number().int().describe('Existing users (same email) updated.'),
  failed: z.number().int().describe('Lines refused or not written.'),
  errors: z
    .array(z.object({ line: z.number().int(), reason: z.string() }))
    .describe('The first 1000 failures, with their 1-based line (or array element) numbers.'),
  ignored_fields: z
    .record(z.string(), z.number().int())
    .describe('Per field accepted but not imported: lines carrying it (none today).'),
  warnings: z
    .array(z.object({ field: z.string(), lines: z.number().int(), reason: z.string() }))
    .describe('What was accepted but not imported (not failures).'),
  failure_reason: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});

export const ExportQuery = z.object({
  include_password_hashes: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      '`true`: include password hashes and TOTP secrets (admin role `owner` only; audited).',
    ),
});

/** One exported user (one line of the JSON Lines answer). */
export const ExportLine = z
  .object({
    id: z.string(),
    email: z.string(),
    email_verified: z.boolean(),
    name: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    status: z.enum(['active', 'disabled']),
    created_at: z.string(),
    updated_at: z.string(),
    roles: z.array(z.string()),
    organizations: z.array(z.object({ id: z.string(), slug: z.string(), role: z.string() })),
    identities: z
      .array(z.object({ provider: z.string(), subject: z.string(), email: z.string().nullable() }))
      .describe('Linked upstream accounts: the identity provider id and the upstream `sub`.'),
    mfa: z
      .object({ totp: z.object({ secret: z.string(), name: z.string().nullable() }).optional() })
      .optional()
      .describe('With `include_password_hashes=true` only: the oldest confirmed authenticator.'),
    password_hash: PasswordHashInput.optional(),
  })
  .describe(
    'Streamed as `application/x-ndjson`: one user per line, in the import format (an export imports as it is).',
  );
export type ExportLine = z.infer<typeof ExportLine>;
