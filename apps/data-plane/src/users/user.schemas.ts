import type { UserRow } from '@hellojohn/dal';
import { boundedJson, safeText } from '@hellojohn/http';
import { z } from 'zod';

/**
 * A user's free-form JSON (docs/api.md, "Limits"): at most 8 levels deep, 256 members and 8 KiB
 * serialised, no NUL or lone surrogate in keys or strings. Depth is checked before anything
 * stringifies it, so a 10,000-deep value is a 400, not a stack overflow.
 */
export const Metadata = boundedJson({ maxDepth: 8, maxBytes: 8 * 1024, maxMembers: 256 });

/** A display name: no NUL, no lone surrogate (docs/api.md, "Limits"). */
export const Name = safeText().trim().min(1).max(200);

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
