/** The federated sign-in's text, per locale (docs/federation.md), beside the hosted catalogue. */
export const FEDERATED_MESSAGES = {
  en: {
    continueWith: (provider: string) => `Continue with ${provider}`,
    orDivider: 'or',
    linkTitle: 'Link your account',
    linkIntro: (provider: string, email: string) =>
      `An account with ${email} already exists. Sign in with its password to link ${provider} to it; next time, ${provider} signs you in.`,
    linkButton: 'Sign in and link',
    failedTitle: 'Sign-in did not complete',
    failedBody: (provider: string) =>
      `${provider} did not sign you in. Go back and try again, or choose another way to sign in.`,
    deniedBody: (provider: string) => `You cancelled the sign-in with ${provider}.`,
    unavailableBody: 'This way of signing in is not available. Choose another one.',
    signUpClosedBody: (provider: string) =>
      `No account is linked to this ${provider} account, and new accounts cannot be created here.`,
    noEmailBody: (provider: string) =>
      `${provider} did not share a verified email address, which this account needs.`,
    disabledBody: "This account can't sign in. Contact your administrator.",
    stateBody: 'This sign-in has expired or was already used. Go back to the app and start again.',
    backToSignIn: 'Back to sign in',
    wrongAccount: 'Sign in with the password of the account shown above.',
  },
  es: {
    continueWith: (provider: string) => `Continuar con ${provider}`,
    orDivider: 'o',
    linkTitle: 'Vincula tu cuenta',
    linkIntro: (provider: string, email: string) =>
      `Ya existe una cuenta con ${email}. Inicia sesión con su contraseña para vincular ${provider}; la próxima vez, ${provider} iniciará tu sesión.`,
    linkButton: 'Iniciar sesión y vincular',
    failedTitle: 'No se completó el inicio de sesión',
    failedBody: (provider: string) =>
      `${provider} no inició tu sesión. Vuelve e inténtalo de nuevo, o elige otra forma de iniciar sesión.`,
    deniedBody: (provider: string) => `Cancelaste el inicio de sesión con ${provider}.`,
    unavailableBody: 'Esta forma de iniciar sesión no está disponible. Elige otra.',
    signUpClosedBody: (provider: string) =>
      `No hay ninguna cuenta vinculada a esta cuenta de ${provider}, y aquí no se pueden crear cuentas nuevas.`,
    noEmailBody: (provider: string) =>
      `${provider} no compartió una dirección de correo verificada, que esta cuenta necesita.`,
    disabledBody: 'Esta cuenta no puede iniciar sesión. Contacta con tu administrador.',
    stateBody:
      'Este inicio de sesión ha caducado o ya se usó. Vuelve a la aplicación y empieza de nuevo.',
    backToSignIn: 'Volver a iniciar sesión',
    wrongAccount: 'Inicia sesión con la contraseña de la cuenta indicada arriba.',
  },
} as const;

export type FederatedMessages = (typeof FEDERATED_MESSAGES)[keyof typeof FEDERATED_MESSAGES];
