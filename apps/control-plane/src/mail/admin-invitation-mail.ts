import { html } from '@hellojohn/http';
import type { AdminMail } from './admin-mailer';

/**
 * The invitation mail of a new CP admin: a link to the console's accept page, which carries the
 * one-time token in the query as `token=` (like every mail link of the data plane).
 */
export function adminInvitationMail(input: {
  to: string;
  link: string;
  role: string;
  expiresAt: Date;
}): AdminMail {
  const expires = input.expiresAt.toISOString().replace('T', ' ').slice(0, 16);
  const subject = 'You are invited to administer HelloJohn';
  const text = `Hello,

You are invited to the HelloJohn control plane as ${input.role}. Choose your password here:

${input.link}

The link works once and expires at ${expires} UTC. If you did not expect it, ignore this mail.
`;
  const body = html`<p>Hello,</p>
    <p>You are invited to the HelloJohn control plane as <strong>${input.role}</strong>.</p>
    <p><a href="${input.link}">Choose your password</a></p>
    <p style="font-size:13px;color:#52525b">
      Or open this link: ${input.link}<br />
      It works once and expires at ${expires} UTC. If you did not expect it, ignore this mail.
    </p>`;
  return { to: input.to, subject, text, html: body.toString() };
}
