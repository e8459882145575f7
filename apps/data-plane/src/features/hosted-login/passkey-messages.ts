import type { Locale } from './messages';

/**
 * The passkey texts of the hosted pages, beside the main catalogue so the passkey pages change
 * on their own (docs/hosted-login.md, "Passkeys"; tú throughout in Spanish).
 */
export const PASSKEY_MESSAGES = {
  en: {
    signInWithPasskey: 'Sign in with a passkey',
    signInFailed: "We couldn't sign you in with a passkey. Try again or use your password.",
    usePasskey: 'Use a passkey',
    factorFailed: "We couldn't check your passkey. Try again or use another method.",
    offerTitle: 'Sign in faster next time',
    offerBody:
      'Add a passkey to sign in with your fingerprint, face or screen lock instead of a password.',
    addPasskey: 'Add a passkey',
    notNow: 'Not now',
    addFailed: "We couldn't add the passkey. Try again, or continue without one.",
    addedTitle: 'Your passkey is ready',
    addedBody: 'Next time, choose "Sign in with a passkey".',
    recoveryCodesIntro:
      'Save these recovery codes somewhere safe. Each one signs you in once if you lose your passkey. You will not see them again.',
    recoveryCodesLabel: 'Recovery codes',
  },
  es: {
    signInWithPasskey: 'Iniciar sesión con una llave de acceso',
    signInFailed:
      'No hemos podido iniciar tu sesión con una llave de acceso. Inténtalo de nuevo o usa tu contraseña.',
    usePasskey: 'Usar una llave de acceso',
    factorFailed:
      'No hemos podido comprobar tu llave de acceso. Inténtalo de nuevo o usa otro método.',
    offerTitle: 'Inicia sesión más rápido la próxima vez',
    offerBody:
      'Añade una llave de acceso para iniciar sesión con tu huella, tu cara o el bloqueo de pantalla en lugar de una contraseña.',
    addPasskey: 'Añadir una llave de acceso',
    notNow: 'Ahora no',
    addFailed: 'No hemos podido añadir la llave de acceso. Inténtalo de nuevo o continúa sin ella.',
    addedTitle: 'Tu llave de acceso está lista',
    addedBody: 'La próxima vez, elige «Iniciar sesión con una llave de acceso».',
    recoveryCodesIntro:
      'Guarda estos códigos de recuperación en un lugar seguro. Cada uno inicia tu sesión una vez si pierdes tu llave de acceso. No volverás a verlos.',
    recoveryCodesLabel: 'Códigos de recuperación',
  },
} satisfies Record<Locale, Record<string, string>>;

export type PasskeyMessages = (typeof PASSKEY_MESSAGES)[Locale];
