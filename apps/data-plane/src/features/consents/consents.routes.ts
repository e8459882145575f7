import { endpoint } from '@hellojohn/http';
import { requestMetaOf } from '../../audit/request-meta';
import { callerOf } from '../../guards/require-user';
import { tenantOf } from '../../tenancy/tenant-context';
import {
  ConsentList,
  ConsentListQuery,
  ConsentParams,
  ConsentUserParams,
  toConsentView,
} from './consents.schemas';
import type { ConsentService } from './consents.service';

const TAGS = ['consents'];

/**
 * `/v1/me/consents`: the OAuth clients the signed-in user allowed (behind `requireUser`), and
 * `/v1/admin/users/{id}/consents` for tenant admins (behind `requireCpAdmin`).
 */
export function consentRoutes(consents: ConsentService) {
  return {
    list: endpoint(
      {
        summary: 'The OAuth clients you allowed, most recently first allowed first',
        tags: TAGS,
        query: ConsentListQuery,
        response: ConsentList,
        errors: ['invalid_cursor', 'service_unavailable'],
      },
      async function listMyConsents({ query }, _req, res) {
        const page = await consents.listForUser(tenantOf(res), callerOf(res).userId, query);
        return { data: page.rows.map(toConsentView), next_cursor: page.nextCursor };
      },
    ),
    remove: endpoint(
      {
        summary: 'Withdraw your consent to a client; ends your sessions with that client',
        tags: TAGS,
        params: ConsentParams,
        status: 204,
        errors: ['consent_not_found'],
      },
      async function deleteMyConsent({ params }, req, res) {
        await consents.revoke(
          tenantOf(res),
          callerOf(res).userId,
          params.client_id,
          requestMetaOf(req),
        );
      },
    ),
    adminList: endpoint(
      {
        summary: "A user's consents to OAuth clients",
        tags: ['admin users'],
        params: ConsentUserParams,
        query: ConsentListQuery,
        response: ConsentList,
        errors: ['user_not_found', 'invalid_cursor', 'service_unavailable'],
      },
      async function listUserConsents({ params, query }, _req, res) {
        const page = await consents.listForAdmin(tenantOf(res), params.id, query);
        return { data: page.rows.map(toConsentView), next_cursor: page.nextCursor };
      },
    ),
  };
}
