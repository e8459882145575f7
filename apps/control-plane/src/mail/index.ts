export { createAdminMailer } from './admin-mailer';
export type { AdminMailer } from './admin-mailer';
export { adminInvitationMail } from './admin-invitation-mail';
