import type { Request, Response } from 'express';
import { requestMetaOf, type RequestMeta } from '../audit/request-meta';
import { tenantOf, type TenantContext } from '../tenancy/tenant-context';

/**
 * Spends a mailed link or code through `use` (which throws the flow's 4xx when it is not good)
 * and answers what it returns (a token pair, the verified address) with `Cache-Control:
 * no-store`, stated here even though the security headers send it too: the answer must never be
 * cached whatever the defaults become.
 */
export async function spendMailed<T>(
  req: Request,
  res: Response,
  use: (tenant: TenantContext, meta: RequestMeta) => Promise<T>,
): Promise<T> {
  const result = await use(tenantOf(res), requestMetaOf(req));
  res.setHeader('Cache-Control', 'no-store');
  return result;
}
