import { z } from 'zod';
import { Password } from '../../credentials/credential.schemas';
import { Metadata, Name } from '../../users/user.schemas';

export const UpdateMeBody = z.strictObject({
  name: Name.nullable().optional(),
  metadata: Metadata.optional(),
});

export const ChangePasswordBody = z.strictObject({
  current_password: Password,
  new_password: Password,
});

export const DeleteMeBody = z.strictObject({ password: Password });
