import { z } from 'zod';
import { Password } from './auth.schemas';

const METADATA_MAX_BYTES = 8 * 1024;

/** Free-form JSON object, at most 8 KiB serialised. */
export const Metadata = z
  .record(z.string(), z.unknown())
  .refine((value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= METADATA_MAX_BYTES, {
    error: `must be at most ${METADATA_MAX_BYTES} bytes as JSON`,
  });

export const Name = z.string().trim().min(1).max(200);

export const UpdateMeBody = z.strictObject({
  name: Name.nullable().optional(),
  metadata: Metadata.optional(),
});

export const ChangePasswordBody = z.strictObject({
  current_password: Password,
  new_password: Password,
});

export const DeleteMeBody = z.strictObject({ password: Password });
