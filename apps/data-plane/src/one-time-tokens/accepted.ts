import type { Request, Response } from 'express';
import { requestMetaOf, type RequestMeta } from '../audit/request-meta';
import { tenantOf, type TenantContext } from '../tenancy/tenant-context';
import { mailLocaleOf } from './mail-locale';

/**
 * The enumeration-safe `202` of a mail-sending route: `send` only schedules its work (the
 * service runs it detached, see detached.ts), so the answer leaves before the address is looked
 * up and a known and an unknown address get the same answer in the same time.
 */
export function acceptMail(
  req: Request,
  res: Response,
  send: (tenant: TenantContext, locale: string, meta: RequestMeta) => void,
): { status: 'accepted' } {
  send(tenantOf(res), mailLocaleOf(req), requestMetaOf(req));
  return { status: 'accepted' };
}
