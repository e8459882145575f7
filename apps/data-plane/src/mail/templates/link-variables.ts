import { z } from 'zod';

/** A link into the hosted pages (`{HJ_PUBLIC_URL}/t/{slug}/...?token=...`): http(s) only. */
export const linkVariables = z.strictObject({
  link: z.url({ protocol: /^https?$/ }).max(4000),
});

/** A one-time code: six digits. */
export const codeVariables = z.strictObject({
  code: z.string().regex(/^\d{6}$/),
});
