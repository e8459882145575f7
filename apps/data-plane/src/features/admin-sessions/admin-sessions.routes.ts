import { endpoint } from '@hellojohn/http';
import { requestMetaOf } from '../../audit/request-meta';
import { adminActorOf } from '../../guards/require-cp-admin';
import { tenantOf } from '../../tenancy/tenant-context';
import { SessionListQuery } from '../sessions';
import {
  AdminSessionList,
  UserParams,
  UserSessionParams,
  toAdminSessionView,
} from './admin-sessions.schemas';
import type { AdminSessionService } from './admin-sessions.service';

const TAGS = ['admin users'];

/** `/v1/admin/users/{id}/sessions`: a user's sessions, for tenant admins (guards in routes/index.ts). */
export function adminSessionRoutes(sessions: AdminSessionService) {
  return {
    list: endpoint(
      {
        summary: "A user's active sessions, most recently used first, a page at a time",
        tags: TAGS,
        params: UserParams,
        query: SessionListQuery,
        response: AdminSessionList,
        errors: ['user_not_found', 'invalid_cursor'],
      },
      async function listUserSessionsAsAdmin({ params, query }, _req, res) {
        const page = await sessions.list(tenantOf(res), params.id, query);
        return { data: page.rows.map(toAdminSessionView), next_cursor: page.nextCursor };
      },
    ),
    revoke: endpoint(
      {
        summary: 'End one session of a user',
        description:
          "As the user's own `DELETE /v1/sessions/{id}`: its refresh tokens stop working and `session.revoked` is emitted.",
        tags: TAGS,
        params: UserSessionParams,
        status: 204,
        errors: ['user_not_found', 'session_not_found'],
      },
      async function revokeUserSessionAsAdmin({ params }, req, res) {
        await sessions.revoke(
          tenantOf(res),
          adminActorOf(res),
          params.id,
          params.session_id,
          requestMetaOf(req),
        );
      },
    ),
  };
}
