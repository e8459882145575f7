import type { UserRow } from '@hellojohn/dal';
import { z } from 'zod';

const METADATA_MAX_BYTES = 8 * 1024;

/** Free-form JSON object, at most 8 KiB serialised. */
export const Metadata = z
  .record(z.string(), z.unknown())
  .refine((value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= METADATA_MAX_BYTES, {
    error: `must be at most ${METADATA_MAX_BYTES} bytes as JSON`,
  });

export const Name = z.string().trim().min(1).max(200);

/** A user as the user and tenant admins see it. */
export const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  email_verified: z.boolean(),
  metadata: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});

export function toUserView(user: UserRow): z.input<typeof User> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    email_verified: user.emailVerified,
    metadata: user.metadata,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}
