import { endpoint } from '@hellojohn/http';
import { z } from 'zod';
import { requestMetaOf } from '../../audit/request-meta';
import { callerOf } from '../../guards/require-user';
import { tenantOf } from '../../tenancy/tenant-context';
import type { IdentityService } from './identities.service';

const Identity = z.object({
  id: z.string(),
  provider_id: z.string(),
  provider_name: z.string().nullable(),
  provider_type: z.string().nullable(),
  subject: z.string().describe('The upstream `sub` (GitHub: the user id).'),
  email: z.string().nullable().describe('The upstream address when last seen.'),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
});
const IdentityList = z.object({ data: z.array(Identity) });
const IdentityParams = z.object({ id: z.string().max(64) });
const UserParams = z.object({ id: z.string().max(64) });

/**
 * `/v1/me/identities`: the upstream accounts linked to the signed-in user (behind `requireUser`),
 * and `/v1/admin/users/{id}/identities` for tenant admins (behind `requireCpAdmin`).
 */
export function identityRoutes(identities: IdentityService) {
  return {
    listMine: endpoint(
      {
        summary: 'The upstream accounts (Google, GitHub, your company’s IdP…) linked to you',
        tags: ['account'],
        response: IdentityList,
        errors: ['service_unavailable'],
      },
      async function listMyIdentities(_input, _req, res) {
        return { data: await identities.list(tenantOf(res), callerOf(res).userId) };
      },
    ),
    unlinkMine: endpoint(
      {
        summary: 'Unlink an upstream account (never the last way you can sign in)',
        tags: ['account'],
        params: IdentityParams,
        status: 204,
        errors: ['identity_not_found', 'last_sign_in_method'],
      },
      async function unlinkMyIdentity({ params }, req, res) {
        await identities.unlink(tenantOf(res), callerOf(res).userId, params.id, requestMetaOf(req));
      },
    ),
    adminList: endpoint(
      {
        summary: "A user's linked upstream accounts",
        tags: ['admin users'],
        params: UserParams,
        response: IdentityList,
        errors: ['user_not_found', 'service_unavailable'],
      },
      async function listUserIdentities({ params }, _req, res) {
        return { data: await identities.listForAdmin(tenantOf(res), params.id) };
      },
    ),
  };
}
