import type { GlobalDb } from '@hellojohn/dal';
import { AppError, endpoint } from '@hellojohn/http';
import { z } from 'zod';
import { VerifiedApiKey, VerifyApiKeyBody, type ApiKeyService } from '../api-keys';

const RevocationsQuery = z.strictObject({ since: z.iso.datetime({ offset: true }) });

const AdminRevocations = z.object({
  data: z.array(
    z.object({
      admin_id: z.string(),
      session_id: z.string().nullable(),
      revoked_at: z.string(),
    }),
  ),
});

/** At most this many revocations per answer; more within one token lifetime is not expected. */
const MAX_REVOCATIONS = 1000;

/**
 * What the data plane asks about operators: whether an API key is live (and its grant), and the
 * admin revocations of the last token lifetime (reloaded at start and after a broker gap, when it
 * may have missed `admin.revoked` events).
 */
export function internalOperatorRoutes(deps: { apiKeys: ApiKeyService; db: GlobalDb }) {
  return {
    verifyApiKey: endpoint(
      {
        summary: 'Check an API key the data plane was shown',
        internal: true,
        body: VerifyApiKeyBody,
        response: VerifiedApiKey,
        errors: ['api_key_not_found'],
      },
      async function verifyInternalApiKey({ body }, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        const verified = await deps.apiKeys.verify(body.key, body.ip ?? null);
        if (!verified) throw new AppError('api_key_not_found');
        return verified;
      },
    ),
    listAdminRevocations: endpoint(
      {
        summary: 'Admin token revocations since a time',
        internal: true,
        query: RevocationsQuery,
        response: AdminRevocations,
      },
      async function listInternalAdminRevocations({ query }, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        const rows = await deps.db.adminSessions.listRevocations(
          new Date(query.since),
          MAX_REVOCATIONS,
        );
        return {
          data: rows.map((row) => ({
            admin_id: row.adminId,
            session_id: row.sessionId,
            revoked_at: row.revokedAt.toISOString(),
          })),
        };
      },
    ),
  };
}
