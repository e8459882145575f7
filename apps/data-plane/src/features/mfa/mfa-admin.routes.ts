import { AppError, endpoint } from '@hellojohn/http';
import { requestMetaOf } from '../../audit/request-meta';
import { adminActorOf } from '../../guards/require-cp-admin';
import { tenantOf } from '../../tenancy/tenant-context';
import { AdminFactorList } from './mfa.schemas';
import type { MfaService } from './mfa.service';
import { z } from 'zod';

const TAGS = ['admin users'];

const UserParams = z.object({ id: z.string().min(1).max(64) });

/** Tenant admins (CP admin tokens) see and reset a user's second factors. */
export function mfaAdminRoutes(service: MfaService) {
  return {
    get: endpoint(
      {
        summary: "List a user's second factors",
        tags: TAGS,
        params: UserParams,
        response: AdminFactorList,
        errors: ['user_not_found'],
      },
      async function getUserMfa({ params }, _req, res) {
        const tenant = tenantOf(res);
        if (!(await tenant.db.users.findById(params.id))) throw new AppError('user_not_found');
        return { user_id: params.id, ...(await service.list(tenant, params.id)) };
      },
    ),
    reset: endpoint(
      {
        summary: "Reset a user's MFA: every factor and recovery code is deleted",
        description:
          'For a user who lost their authenticator. Audited as `mfa.reset`. Under `mfa: required` the user enrols again at their next sign-in.',
        tags: TAGS,
        params: UserParams,
        status: 204,
        errors: ['user_not_found'],
      },
      async function resetUserMfa({ params }, req, res) {
        const actor = `cp-admin:${adminActorOf(res).adminId}`;
        await service.reset(tenantOf(res), actor, params.id, requestMetaOf(req));
      },
    ),
  };
}
