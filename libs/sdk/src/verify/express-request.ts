import type { AuthInfo } from './token-claims';

// Module augmentation, so `req.auth` is typed in every app that uses `requireAuth`.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's types are augmented only through this global namespace.
  namespace Express {
    interface Request {
      /** Set by `requireAuth` from the verified access token. */
      auth?: AuthInfo;
    }
  }
}
