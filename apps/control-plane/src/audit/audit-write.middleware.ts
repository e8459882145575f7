import type { AuditAction, AuditLogRepository } from '@hellojohn/dal';
import { guard, type Guard, type Logger } from '@hellojohn/http';
import type { Response } from 'express';
import { signedInActor } from '../guards/require-admin';

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
 * Records a write in the audit log once its response is sent: who (an admin's email or
 * `api_key:<id>`, with `details.actor_type` and `actor_id`; or the email that tried to sign in), what, on which target, with the request id and the outcome. Failures are recorded
 * too: a denied or invalid write is an event an operator wants to see. It wraps `res.json` to
 * learn the target of a create (the new id is only in the response body). It never answers an
 * error itself (a guard with no errors).
 *
 * @example
 * const audit = makeAuditWrite(db.auditLog, logger);
 * api.post('/v1/tenants', audit('tenant.created'), requireAdmin('owner'), tenants.create);
 */
export function makeAuditWrite(auditLog: AuditLogRepository, logger: Logger) {
  return function audit(action: AuditAction): Guard {
    return guard({ errors: [] }, function recordAudit(req, res, next) {
      // Copied now: Express restores req.params when the request leaves the router.
      const params = { ...(req.params as Record<string, string | undefined>) };
      let responseBody: unknown;
      const json = res.json.bind(res);
      res.json = function captureBody(body: unknown): Response {
        responseBody = body;
        return json(body);
      };
      res.on('finish', () => {
        const signedIn = signedInActor(res);
        const attempted = (req.body as { email?: unknown } | undefined)?.email;
        const actor =
          signedIn?.label ??
          (typeof attempted === 'string' ? attempted.slice(0, 254) : 'anonymous');
        auditLog
          .insert({
            actor,
            action,
            target: targetOf(params, responseBody),
            requestId: typeof req.id === 'string' ? req.id : null,
            outcome: res.statusCode < 400 ? 'success' : 'failure',
            details: {
              ...(signedIn ? { actor_type: signedIn.type, actor_id: signedIn.id } : {}),
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
    });
  };
}
