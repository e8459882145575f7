import { z } from 'zod';

/**
 * Operator events concern the whole platform, not one tenant: their envelope's `tenant_id` is
 * {@link PLATFORM_TENANT_ID}. They carry ids only, never a key, its hash or a token.
 */
export const PLATFORM_TENANT_ID = '00000000-0000-0000-0000-000000000000';

/** `api_key.revoked`: an API key was revoked (or its rotation overlap was cut short). */
export const apiKeyRevokedDataSchema = z.object({ api_key_id: z.string().min(1) });

/**
 * `admin.revoked`: a CP admin's tokens issued up to `revoked_at` are void (the admin was deleted,
 * disabled, or its grant changed); with `session_id`, only that session's tokens (sign-out,
 * refresh-token reuse).
 */
export const adminRevokedDataSchema = z.object({
  admin_id: z.string().min(1),
  session_id: z.string().min(1).optional(),
  revoked_at: z.iso.datetime({ offset: true }),
});

export type ApiKeyRevokedData = z.infer<typeof apiKeyRevokedDataSchema>;
export type AdminRevokedData = z.infer<typeof adminRevokedDataSchema>;
