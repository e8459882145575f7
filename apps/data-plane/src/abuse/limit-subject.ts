import { digestKey } from '@hellojohn/abuse';
import type { Request, Response } from 'express';
import { normalizeEmail } from '@hellojohn/dal';
import { maybeClaimsOf } from '../guards/require-user';
import { authenticatedClientId } from '../oauth2/authenticate-client';
import type { LimitSubject } from './limit-table';

function bodyString(req: Request, field: string): string | undefined {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The value a limit counts for this request; `undefined` when the body lacks it (the request then
 * fails validation before any password is checked, so there is nothing to protect). Emails and
 * refresh tokens are digested, so Redis never holds an address or a live token. A `client` is the
 * OAuth client the request authenticated as (placed after `authenticateClient`), so nobody spends
 * a client's budget by merely naming it. A `user` is the verified access token's subject.
 */
export function subjectOf(subject: LimitSubject, req: Request, res: Response): string | undefined {
  switch (subject) {
    case 'ip':
      // Honours `trust proxy` (set by createServiceApp); a vanished socket still gets a budget.
      return req.ip ?? 'unknown';
    case 'email': {
      const email = bodyString(req, 'email');
      return email === undefined ? undefined : digestKey(normalizeEmail(email));
    }
    case 'refresh_token': {
      const token = bodyString(req, 'refresh_token');
      return token === undefined ? undefined : digestKey(token);
    }
    case 'mfa_token': {
      const token = bodyString(req, 'mfa_token');
      return token === undefined ? undefined : digestKey(token);
    }
    case 'client': {
      const clientId = authenticatedClientId(res);
      return clientId === undefined ? undefined : digestKey(clientId);
    }
    case 'user':
      // Placed after the `user` guard, which verified the token; the id is no secret.
      return maybeClaimsOf(res)?.sub;
  }
}
