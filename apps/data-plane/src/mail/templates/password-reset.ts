import { linkVariables } from './link-variables';
import type { MailKindDefinition } from './mail-template';

/** Sent by "forgot password" for an existing account: `{ link }` to the hosted reset page. */
export const passwordReset = {
  variables: linkVariables,
  templates: {
    en: {
      subject: 'Reset your {{tenantName}} password',
      text: `Hello,

Someone asked to reset the password of your {{tenantName}} account. Choose a new one here:

{{link}}

The link works once and expires soon. If it was not you, ignore this mail: your password stays as it is.
`,
      html: `<p>Hello,</p>
<p>Someone asked to reset the password of your {{tenantName}} account.</p>
{{> button label="Choose a new password" linkHint="Or open this link:"}}
<p style="font-size:13px;color:#52525b">The link works once and expires soon. If it was not you, ignore this mail: your password stays as it is.</p>`,
    },
    es: {
      subject: 'Restablece tu contraseña de {{tenantName}}',
      text: `Hola:

Alguien pidió restablecer la contraseña de tu cuenta de {{tenantName}}. Elige una nueva aquí:

{{link}}

El enlace sirve una sola vez y caduca pronto. Si no fuiste tú, ignora este correo: tu contraseña no cambia.
`,
      html: `<p>Hola:</p>
<p>Alguien pidió restablecer la contraseña de tu cuenta de {{tenantName}}.</p>
{{> button label="Elegir una contraseña nueva" linkHint="O abre este enlace:"}}
<p style="font-size:13px;color:#52525b">El enlace sirve una sola vez y caduca pronto. Si no fuiste tú, ignora este correo: tu contraseña no cambia.</p>`,
    },
  },
} satisfies MailKindDefinition;
