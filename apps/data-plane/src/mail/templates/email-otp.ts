import { codeVariables } from './link-variables';
import type { MailKindDefinition } from './mail-template';

/** A six-digit sign-in (or MFA) code: `{ code }`. */
export const emailOtp = {
  variables: codeVariables,
  templates: {
    en: {
      subject: '{{code}} is your {{tenantName}} code',
      text: `Hello,

Your {{tenantName}} code is:

{{code}}

It expires in a few minutes. Never share it: {{tenantName}} will not ask you for it.
`,
      html: `<p>Hello,</p>
<p>Your {{tenantName}} code is:</p>
<p style="font-size:28px;font-weight:700;letter-spacing:6px;margin:24px 0">{{code}}</p>
<p style="font-size:13px;color:#52525b">It expires in a few minutes. Never share it: {{tenantName}} will not ask you for it.</p>`,
    },
    es: {
      subject: '{{code}} es tu código de {{tenantName}}',
      text: `Hola:

Tu código de {{tenantName}} es:

{{code}}

Caduca en unos minutos. No lo compartas: {{tenantName}} nunca te lo pedirá.
`,
      html: `<p>Hola:</p>
<p>Tu código de {{tenantName}} es:</p>
<p style="font-size:28px;font-weight:700;letter-spacing:6px;margin:24px 0">{{code}}</p>
<p style="font-size:13px;color:#52525b">Caduca en unos minutos. No lo compartas: {{tenantName}} nunca te lo pedirá.</p>`,
    },
  },
} satisfies MailKindDefinition;
