import { z } from 'zod';

const Handle = z.string().max(64);

export const ProviderParams = z.object({
  id: z.string().max(64).describe('The identity provider (its id on the control plane).'),
});

export const StartQuery = z.strictObject({ tx: Handle.describe('The login transaction handle.') });

/**
 * What a provider sends back (RFC 6749 §4.1.2, §4.1.2.1; RFC 9207 `iss`; Apple's `user`): loose,
 * since providers add their own parameters (Google `authuser`, `prompt`, `hd`).
 */
export const CallbackParams = z.looseObject({
  state: z.string().max(512).optional(),
  code: z.string().max(4096).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
  iss: z.string().max(500).optional(),
  user: z.string().max(4000).optional().describe('Apple: the name, on the first sign-in only.'),
});

export const LinkForm = z.strictObject({
  tx: Handle,
  csrf: z.string().max(128).optional(),
  link: Handle,
  email: z.string().max(320).optional(),
  password: z.string().max(1024).optional(),
});
