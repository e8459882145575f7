import { z } from 'zod';
import { Email } from '../../credentials/credential.schemas';
import { PasswordHashInput } from '../../credentials/imported/password-hash.schemas';
import { Metadata, Name } from '../../users/user.schemas';

/**
 * Fields an import line may carry that are not imported yet: accepted, counted per field in the
 * job's `ignored_fields`, and otherwise left alone.
 */
export const IGNORED_IMPORT_FIELDS = ['identities', 'mfa', 'roles', 'organizations'] as const;

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
  identities: z.array(z.unknown()).optional(),
  mfa: z.unknown().optional(),
  roles: z.array(z.unknown()).optional(),
  organizations: z.array(z.unknown()).optional(),
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
    .describe(
      'Per field not imported yet (identities, mfa, roles, organizations): lines carrying it.',
    ),
  failure_reason: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});

export const ExportQuery = z.object({
  include_password_hashes: z
    .enum(['true', 'false'])
    .optional()
    .describe('`true`: include password hashes (admin role `owner` only; audited).'),
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
    password_hash: PasswordHashInput.optional(),
  })
  .describe(
    'Streamed as `application/x-ndjson`: one user per line, in the import format (an export imports as it is).',
  );
export type ExportLine = z.infer<typeof ExportLine>;
