import type { SendMail } from '../../one-time-tokens/mail-tokens';
import type { RoleService } from '../roles';
import { invitationRoutes } from './invitations.routes';
import { createInvitationService, type InvitationService } from './invitations.service';
import { organizationRoutes } from './organizations.routes';
import { createOrganizationService, type OrganizationService } from './organizations.service';

export { refuseSoleOwnerDeletion } from './sole-owner-error';
export type { InvitationService } from './invitations.service';
// For tenant admins (features/admin-organizations): the same writes, events and views.
export { refuseLastOwner } from './last-owner-refusal';
export { pageOrInvalidCursor } from './org-pages';
export {
  addMemberRecorded,
  changeMemberRoleRecorded,
  createOrganizationRecorded,
  deleteOrganizationRecorded,
  removeMemberRecorded,
  updateOrganizationRecorded,
} from './org-writes';
export {
  Member,
  MemberList,
  MemberParams,
  OrganizationName,
  OrganizationParams,
  OrganizationSlug,
  OrgListQuery,
  PatchMemberBody,
  toMemberView,
} from './organizations.schemas';
export { InvitationList, InvitationParams, toInvitationView } from './invitations.schemas';

/** `/v1/organizations` and `/v1/invitations`: organizations, members, roles, invitations (docs/organizations.md). */
export interface OrganizationsModule {
  service: OrganizationService;
  invitations: InvitationService;
  endpoints: ReturnType<typeof organizationRoutes>;
  invitationEndpoints: ReturnType<typeof invitationRoutes>;
}

export function createOrganizationsModule(deps: {
  roles: RoleService;
  sendMail: SendMail;
}): OrganizationsModule {
  const service = createOrganizationService(deps);
  const invitations = createInvitationService(deps);
  return {
    service,
    invitations,
    endpoints: organizationRoutes(service),
    invitationEndpoints: invitationRoutes(invitations),
  };
}
