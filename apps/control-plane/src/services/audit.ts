import type { AdminRow, GlobalDb } from '@hellojohn/dal';
import type { Logger } from '@hellojohn/http';
import type { RequestHandler, Response } from 'express';
import { fetchPage } from './paging';

function targetOf(params: Record<string, string | undefined>, body: unknown): string | null {
  const fromParams = params.client_id ?? params.tenant ?? params.id;
  if (fromParams) return fromParams;
  if (typeof body === 'object' && body !== null) {
    const record = body as Record<string, unknown>;
    for (const key of ['client_id', 'id']) {
      if (typeof record[key] === 'string') return record[key];
    }
  }
  return null;
}

/**
 * Records a write in the audit log once its response is sent: who (admin, or the email that tried
 * to sign in), what, on which target, with the request id and the outcome. Failures are recorded
 * too: a denied or invalid write is an event an operator wants to see.
 *
 * @example
 * api.post('/v1/tenants', requireAdmin('owner'), audit('tenant.create'), tenants.create);
 */
export function makeAudit(db: GlobalDb, logger: Logger) {
  return function audit(action: string): RequestHandler {
    return function recordAudit(req, res, next) {
      // Copied now: Express restores req.params when the request leaves the router.
      const params = { ...(req.params as Record<string, string | undefined>) };
      let responseBody: unknown;
      const json = res.json.bind(res);
      res.json = function captureBody(body: unknown): Response {
        responseBody = body;
        return json(body);
      };
      res.on('finish', () => {
        const admin = res.locals.admin as AdminRow | undefined;
        const attempted = (req.body as { email?: unknown } | undefined)?.email;
        const actor =
          admin?.email ?? (typeof attempted === 'string' ? attempted.slice(0, 254) : 'anonymous');
        db.auditLog
          .insert({
            actor,
            action,
            target: targetOf(params, responseBody),
            requestId: typeof req.id === 'string' ? req.id : null,
            outcome: res.statusCode < 400 ? 'success' : 'failure',
            details: {
              status: res.statusCode,
              method: req.method,
              path: req.originalUrl.split('?')[0] ?? '',
            },
          })
          .catch((error: unknown) => {
            logger.error({ err: error, action }, 'audit record could not be written');
          });
      });
      next();
    };
  };
}

/** The audit log as the API shows it, newest first. */
export async function listAuditLog(
  db: GlobalDb,
  query: {
    limit: number;
    cursor?: string | undefined;
    actor?: string | undefined;
    action?: string | undefined;
    target?: string | undefined;
  },
) {
  const page = await fetchPage(() => db.auditLog.list(query));
  return {
    data: page.rows.map((entry) => ({
      id: entry.id,
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      request_id: entry.requestId,
      outcome: entry.outcome,
      details: entry.details,
      created_at: entry.createdAt.toISOString(),
    })),
    next_cursor: page.nextCursor,
  };
}
