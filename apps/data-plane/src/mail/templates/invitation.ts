import { z } from 'zod';
import type { MailKindDefinition } from './mail-template';

/**
 * An invitation to join an organization (docs/organizations.md): `{ link, organization, role }`.
 * The link carries the single-use `token=` the invited user, signed in with this address,
 * accepts with `POST /v1/invitations/accept`.
 */
export const invitation = {
  variables: z.strictObject({
    link: z.url({ protocol: /^https?$/ }).max(4000),
    organization: z.string().min(1).max(200),
    role: z.string().min(1).max(64),
  }),
  templates: {
    en: {
      subject: 'You are invited to join {{organization}} on {{tenantName}}',
      text: `Hello,

You are invited to join {{organization}} on {{tenantName}} as {{role}}. Sign in with this address and accept here:

{{link}}

The invitation works once and expires in 7 days. If you did not expect it, ignore this mail.
`,
      html: `<p>Hello,</p>
<p>You are invited to join <strong>{{organization}}</strong> on {{tenantName}} as {{role}}. Sign in with this address and accept the invitation.</p>
{{> button label="Accept the invitation" linkHint="Or open this link:"}}
<p style="font-size:13px;color:#52525b">The invitation works once and expires in 7 days. If you did not expect it, ignore this mail.</p>`,
    },
    es: {
      subject: 'Te invitan a unirte a {{organization}} en {{tenantName}}',
      text: `Hola:

Te invitan a unirte a {{organization}} en {{tenantName}} como {{role}}. Inicia sesión con esta dirección y acepta aquí:

{{link}}

La invitación sirve una sola vez y caduca en 7 días. Si no la esperabas, ignora este correo.
`,
      html: `<p>Hola:</p>
<p>Te invitan a unirte a <strong>{{organization}}</strong> en {{tenantName}} como {{role}}. Inicia sesión con esta dirección y acepta la invitación.</p>
{{> button label="Aceptar la invitación" linkHint="O abre este enlace:"}}
<p style="font-size:13px;color:#52525b">La invitación sirve una sola vez y caduca en 7 días. Si no la esperabas, ignora este correo.</p>`,
    },
  },
} satisfies MailKindDefinition;
