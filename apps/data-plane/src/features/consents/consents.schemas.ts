import { pageOf, pageQuery } from '@hellojohn/http';
import { z } from 'zod';
import type { ConsentEntry } from './consents.service';

export const Consent = z.object({
  client_id: z.string(),
  client_name: z
    .string()
    .nullable()
    .describe("The client's name; null when the client no longer exists."),
  scopes: z.array(z.string()).describe('The scopes the user allowed, sorted.'),
  granted_at: z.string().describe('When the current grant started.'),
  updated_at: z.string(),
});

export const ConsentList = pageOf(Consent);

/** `?limit=&cursor=`, as `GET /v1/sessions`: the default page (50) is usually every consent. */
export const ConsentListQuery = pageQuery.extend({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .describe('Page size, 1-100 (default 50).'),
});

/**
 * RFC 6749 Appendix A.1 client ids, at most 128 characters as the control plane issues them. Not
 * strict: `/t/{tenant}` merges its `tenant` param in.
 */
export const ConsentParams = z.object({ client_id: z.string().min(1).max(128) });

/** Not strict: `/t/{tenant}` merges its `tenant` param in. */
export const ConsentUserParams = z.object({ id: z.string().min(1).max(64) });

export function toConsentView(entry: ConsentEntry): z.input<typeof Consent> {
  return {
    client_id: entry.consent.clientId,
    client_name: entry.clientName,
    scopes: entry.consent.scopes,
    granted_at: entry.consent.grantedAt.toISOString(),
    updated_at: entry.consent.updatedAt.toISOString(),
  };
}
