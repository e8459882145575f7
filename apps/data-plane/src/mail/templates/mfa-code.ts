import { codeVariables } from './link-variables';
import type { MailKindDefinition } from './mail-template';

/**
 * A six-digit code asked for as a second factor (sign-in verification, or turning the email
 * factor on): `{ code }`. Worded apart from the passwordless sign-in code, so a reader who did not
 * just enter their password knows someone else did.
 */
export const mfaCode = {
  variables: codeVariables,
  templates: {
    en: {
      subject: '{{code}} is your {{tenantName}} verification code',
      text: `Hello,

Your {{tenantName}} verification code is:

{{code}}

Enter it to finish signing in (or to turn on codes by email). It expires in a few minutes.
If this was not you, change your password: someone who knows it is trying to sign in.
`,
      html: `<p>Hello,</p>
<p>Your {{tenantName}} verification code is:</p>
<p style="font-size:28px;font-weight:700;letter-spacing:6px;margin:24px 0">{{code}}</p>
<p>Enter it to finish signing in (or to turn on codes by email). It expires in a few minutes.</p>
<p style="font-size:13px;color:#52525b">If this was not you, change your password: someone who knows it is trying to sign in.</p>`,
    },
    es: {
      subject: '{{code}} es tu código de verificación de {{tenantName}}',
      text: `Hola:

Tu código de verificación de {{tenantName}} es:

{{code}}

Escríbelo para terminar de iniciar sesión (o para activar los códigos por correo). Caduca en unos minutos.
Si no fuiste tú, cambia tu contraseña: alguien que la conoce intenta iniciar sesión.
`,
      html: `<p>Hola:</p>
<p>Tu código de verificación de {{tenantName}} es:</p>
<p style="font-size:28px;font-weight:700;letter-spacing:6px;margin:24px 0">{{code}}</p>
<p>Escríbelo para terminar de iniciar sesión (o para activar los códigos por correo). Caduca en unos minutos.</p>
<p style="font-size:13px;color:#52525b">Si no fuiste tú, cambia tu contraseña: alguien que la conoce intenta iniciar sesión.</p>`,
    },
  },
} satisfies MailKindDefinition;
