import { linkVariables } from './link-variables';
import type { MailKindDefinition } from './mail-template';

/** Passwordless sign-in by link: `{ link }`. */
export const magicLink = {
  variables: linkVariables,
  templates: {
    en: {
      subject: 'Your sign-in link for {{tenantName}}',
      text: `Hello,

Open this link to sign in to {{tenantName}}:

{{link}}

The link works once and expires in a few minutes. If you did not ask for it, ignore this mail.
`,
      html: `<p>Hello,</p>
<p>Open this link to sign in to {{tenantName}}.</p>
{{> button label="Sign in" linkHint="Or open this link:"}}
<p style="font-size:13px;color:#52525b">The link works once and expires in a few minutes. If you did not ask for it, ignore this mail.</p>`,
    },
    es: {
      subject: 'Tu enlace para entrar en {{tenantName}}',
      text: `Hola:

Abre este enlace para entrar en {{tenantName}}:

{{link}}

El enlace sirve una sola vez y caduca en unos minutos. Si no lo pediste, ignora este correo.
`,
      html: `<p>Hola:</p>
<p>Abre este enlace para entrar en {{tenantName}}.</p>
{{> button label="Entrar" linkHint="O abre este enlace:"}}
<p style="font-size:13px;color:#52525b">El enlace sirve una sola vez y caduca en unos minutos. Si no lo pediste, ignora este correo.</p>`,
    },
  },
} satisfies MailKindDefinition;
