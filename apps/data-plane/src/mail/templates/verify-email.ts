import { linkVariables } from './link-variables';
import type { MailKindDefinition } from './mail-template';

/** Sent on sign-up (when the tenant asks for verification) and on resend: `{ link }`. */
export const verifyEmail = {
  variables: linkVariables,
  templates: {
    en: {
      subject: 'Verify your email for {{tenantName}}',
      text: `Hello,

Confirm that this address is yours to finish setting up your {{tenantName}} account:

{{link}}

If you did not create an account, ignore this mail.
`,
      html: `<p>Hello,</p>
<p>Confirm that this address is yours to finish setting up your {{tenantName}} account.</p>
{{> button label="Verify email" linkHint="Or open this link:"}}
<p style="font-size:13px;color:#52525b">If you did not create an account, ignore this mail.</p>`,
    },
    es: {
      subject: 'Verifica tu correo para {{tenantName}}',
      text: `Hola:

Confirma que esta dirección es tuya para terminar de configurar tu cuenta de {{tenantName}}:

{{link}}

Si no creaste una cuenta, ignora este correo.
`,
      html: `<p>Hola:</p>
<p>Confirma que esta dirección es tuya para terminar de configurar tu cuenta de {{tenantName}}.</p>
{{> button label="Verificar correo" linkHint="O abre este enlace:"}}
<p style="font-size:13px;color:#52525b">Si no creaste una cuenta, ignora este correo.</p>`,
    },
  },
} satisfies MailKindDefinition;
