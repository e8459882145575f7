import { z } from 'zod';
import { AuthorizationView, OrganizationScopeView } from '../authorization/authorization-claims';

/** RFC 6750 §2.2: the access token as a form parameter of `POST /userinfo`. */
export const UserinfoForm = z.object({
  access_token: z
    .string()
    .max(8192)
    .optional()
    .describe(
      'The access token, when not sent as `Authorization: Bearer` (RFC 6750 §2.2); never both.',
    ),
});

/**
 * OIDC Core §5.3.2: `sub` and the standard claims the token's scope grants (§5.4), plus the
 * tenant's (or client's) custom claims for userinfo (docs/apis.md#custom-claims).
 */
export const UserinfoResponse = z
  .object({
    sub: z.string().describe('The user id: the `sub` of the ID token.'),
    name: z.string().optional().describe('`profile` scope, when the user has a name.'),
    updated_at: z
      .number()
      .int()
      .optional()
      .describe('`profile` scope: seconds since the epoch of the last profile change.'),
    email: z.string().optional().describe('`email` scope.'),
    email_verified: z.boolean().optional().describe('`email` scope.'),
    ...AuthorizationView,
    ...OrganizationScopeView,
  })
  .catchall(z.unknown().describe('A custom claim configured for userinfo.'));
