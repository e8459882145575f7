import type { Request } from 'express';

/** Who sent a request, as the audit log and the session list record it. */
export interface RequestMeta {
  ip: string | undefined;
  userAgent: string | undefined;
  /** The request's id, for the audit log. */
  requestId?: string | undefined;
}

/** The caller's address, user agent and request id; routes hand this to services. */
export function requestMetaOf(req: Request): RequestMeta {
  // `req.id` is set by the request-context middleware (pino-http) and echoed in X-Request-Id.
  const id: unknown = (req as { id?: unknown }).id;
  return {
    ip: req.ip,
    userAgent: req.get('user-agent'),
    requestId: typeof id === 'string' ? id : undefined,
  };
}
