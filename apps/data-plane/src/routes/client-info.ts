import type { Request } from 'express';
import type { ClientInfo } from '../services/session-tokens';

export function clientInfoOf(req: Request): ClientInfo {
  return { ip: req.ip, userAgent: req.get('user-agent') };
}
