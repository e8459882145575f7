import {
  InvalidCursorError,
  type ConsentRow,
  type Page,
  type PageRequest,
  type TenantDb,
} from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { ClientDirectory } from '../../oauth2/client-directory';
import { recordSessionsRevoked } from '../../outbox';
import type { TenantContext } from '../../tenancy/tenant-context';

/** A remembered consent with the name of its client (null: the client was deleted). */
export interface ConsentEntry {
  consent: ConsentRow;
  clientName: string | null;
}

/** The consents users gave OAuth clients on the hosted consent page. */
export interface ConsentService {
  /** The user's live consents, most recently first granted first, a page at a time. */
  listForUser(
    tenant: TenantContext,
    userId: string,
    request: PageRequest,
  ): Promise<Page<ConsentEntry>>;
  /** `listForUser` for a tenant admin: an unknown user -> 404 `user_not_found`. */
  listForAdmin(
    tenant: TenantContext,
    userId: string,
    request: PageRequest,
  ): Promise<Page<ConsentEntry>>;
  /**
   * Withdraws the user's consent for the client and ends the user's sessions bound to it, so its
   * refresh tokens fail and its access tokens stop at `requireUser` and userinfo. No live consent
   * -> 404 `consent_not_found`.
   */
  revoke(tenant: TenantContext, userId: string, clientId: string, meta: RequestMeta): Promise<void>;
}

/** The session revoke reason, as `sessions.revoke_reason` records it. */
const REVOKE_REASON = 'consent_revoked';

export function createConsentService(deps: { clients: ClientDirectory }): ConsentService {
  async function page(
    tenant: TenantContext,
    userId: string,
    request: PageRequest,
  ): Promise<Page<ConsentEntry>> {
    let consents: Page<ConsentRow>;
    try {
      consents = await tenant.db.consents.listForUser(userId, request);
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new AppError('invalid_cursor');
      throw error;
    }
    // One directory read per distinct client; an unreachable control plane answers 503 rather
    // than a null name, which would say the client was deleted.
    const ids = [...new Set(consents.rows.map((row) => row.clientId))];
    const names = new Map<string, string | null>();
    await Promise.all(
      ids.map(async (id) => {
        const client = await deps.clients.resolve(tenant.config.id, id);
        names.set(id, client?.name ?? null);
      }),
    );
    return {
      rows: consents.rows.map((consent) => ({
        consent,
        clientName: names.get(consent.clientId) ?? null,
      })),
      nextCursor: consents.nextCursor,
    };
  }

  /** Both in one transaction: a consent is never gone while the client's sessions live on. */
  function revokeBoth(db: TenantDb, userId: string, clientId: string) {
    return db.transaction(async (tx) => {
      if (!(await tx.consents.revoke(userId, clientId))) return undefined;
      const ids = await tx.sessions.revokeForClientListed(userId, clientId, REVOKE_REASON);
      await recordSessionsRevoked(tx, userId, ids, REVOKE_REASON);
      return ids.length;
    });
  }

  return {
    listForUser: page,

    async listForAdmin(tenant, userId, request) {
      if (!(await tenant.db.users.findById(userId))) throw new AppError('user_not_found');
      return page(tenant, userId, request);
    },

    async revoke(tenant, userId, clientId, meta) {
      const sessionsRevoked = await revokeBoth(tenant.db, userId, clientId);
      if (sessionsRevoked === undefined) throw new AppError('consent_not_found');
      await audit(tenant.db, meta, {
        action: 'consent.revoked',
        outcome: 'success',
        userId,
        details: { client_id: clientId, sessions_revoked: sessionsRevoked },
      });
    },
  };
}
