import type { UserRow } from '@hellojohn/dal';
import type { z } from 'zod';
import type { User } from './auth.schemas';

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
