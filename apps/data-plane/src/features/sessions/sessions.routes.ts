import { endpoint } from '@hellojohn/http';
import { requestMetaOf } from '../../audit/request-meta';
import { callerOf } from '../../guards/require-user';
import { tenantOf } from '../../tenancy/tenant-context';
import { SessionList, SessionListQuery, SessionParams, toSessionView } from './sessions.schemas';
import type { SessionService } from './sessions.service';

const TAGS = ['sessions'];

/** `/v1/sessions`: the signed-in user's own sessions (behind `requireUser`). */
export function sessionRoutes(sessions: SessionService) {
  return {
    list: endpoint(
      {
        summary: 'Your active sessions, most recently used first, a page at a time',
        tags: TAGS,
        query: SessionListQuery,
        response: SessionList,
        errors: ['invalid_cursor'],
      },
      async function listMySessions({ query }, _req, res) {
        const caller = callerOf(res);
        const page = await sessions.listActive(tenantOf(res), caller.userId, query);
        return {
          data: page.rows.map((row) => toSessionView(row, caller.sessionId)),
          next_cursor: page.nextCursor,
        };
      },
    ),
    remove: endpoint(
      {
        summary: 'End one of your sessions',
        tags: TAGS,
        params: SessionParams,
        status: 204,
        errors: ['session_not_found'],
      },
      async function deleteMySession({ params }, req, res) {
        await sessions.revoke(tenantOf(res), callerOf(res).userId, params.id, requestMetaOf(req));
      },
    ),
  };
}
