import type { Request } from 'express';
import type { ClientInfo } from '../services/session-tokens';

export function clientInfoOf(req: Request): ClientInfo {
  // `req.id` is set by the request-context middleware (pino-http) and echoed in X-Request-Id.
  const id: unknown = (req as { id?: unknown }).id;
  return {
    ip: req.ip,
    userAgent: req.get('user-agent'),
    requestId: typeof id === 'string' ? id : undefined,
  };
}
