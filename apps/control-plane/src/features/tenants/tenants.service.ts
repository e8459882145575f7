import { randomUUID } from 'node:crypto';
import { ConflictError, type GlobalDb, type Page, type TenantRow } from '@hellojohn/dal';
import { createEvent, type EventEnvelope } from '@hellojohn/events';
import { AppError } from '@hellojohn/http';
import { decryptSecret, encryptSecret } from '@hellojohn/tokens';
import type { z } from 'zod';
import { fetchPage } from '../../shared/fetch-page';
import type {
  CreateTenantBody,
  ListTenantsInput,
  TenantView,
  UpdateTenantBody,
} from './tenants.schemas';
import { internalSettings, publicSettings, sealMailSettings } from './mail-settings';
import { issuerOf, toTenantView } from './tenant-view';

type CreateTenantInput = z.output<typeof CreateTenantBody>;
type UpdateTenantInput = z.output<typeof UpdateTenantBody>;

/**
 * A tenant as stored, with its issuer and, for an external database, its DSN in clear: what the
 * internal API serves the data plane. Never shown to operators (their view masks the DSN).
 */
export interface StoredTenant {
  row: TenantRow;
  issuer: string;
  dsn: string | null;
}

export interface TenantService {
  create(input: CreateTenantInput): Promise<TenantView>;
  get(ref: string): Promise<TenantView>;
  /** `within`: the caller's granted tenant ids (null or omitted: every tenant). */
  list(
    query: ListTenantsInput,
    within?: readonly string[] | null,
  ): Promise<{ data: TenantView[]; next_cursor: string | null }>;
  /** A tenant's id from its id or slug; undefined when there is no such tenant. */
  idOf(ref: string): Promise<string | undefined>;
  /** For the internal API only: the external DSN comes decrypted. */
  getStored(ref: string): Promise<StoredTenant>;
  listStored(query: ListTenantsInput): Promise<Page<StoredTenant>>;
  update(ref: string, input: UpdateTenantInput): Promise<TenantView>;
  /** Marks the tenant `deleting` and asks the data plane to deprovision it. */
  remove(ref: string): Promise<TenantView>;
  requestKeyRotation(ref: string, requestedBy: string): Promise<{ tenantId: string }>;
  applyProvisioningResult(event: EventEnvelope): Promise<void>;
}

const dsnAad = (tenantId: string): string => `tenant:${tenantId}:dsn`;

export function createTenantService(deps: {
  db: GlobalDb;
  masterKey: Buffer;
  publicUrl: string;
  /** Called after a commit that wrote to the outbox, to publish without waiting for a poll. */
  onOutboxWrite: () => void;
}): TenantService {
  const { db, masterKey, publicUrl } = deps;
  const decryptDsn = (row: TenantRow): string | null =>
    row.databaseDsnEncrypted
      ? decryptSecret(masterKey, row.databaseDsnEncrypted, dsnAad(row.id)).toString('utf8')
      : null;
  const view = (row: TenantRow): TenantView => toTenantView(row, publicUrl, decryptDsn);
  const stored = (row: TenantRow): StoredTenant => ({
    // The data plane sends the tenant's mail: it gets the SMTP password (mail-settings.ts).
    row: { ...row, settings: internalSettings(masterKey, row.id, row.settings) },
    issuer: issuerOf(publicUrl, row.slug),
    dsn: decryptDsn(row),
  });

  /** Writes `event` to the outbox in the transaction `tx` of the change it describes. */
  async function addEvent(tx: GlobalDb, event: EventEnvelope): Promise<void> {
    await tx.outbox.add({
      id: event.id,
      type: event.type,
      tenantId: event.tenant_id,
      payload: event,
    });
  }

  async function find(ref: string): Promise<TenantRow> {
    const row = await db.tenants.findByRef(ref);
    if (!row) throw new AppError('tenant_not_found', `No tenant "${ref}".`);
    return row;
  }

  const listPage = (
    query: ListTenantsInput,
    within: readonly string[] | null = null,
  ): Promise<Page<TenantRow>> =>
    fetchPage(() =>
      db.tenants.list({
        limit: query.limit,
        cursor: query.cursor,
        status: query.status,
        ...(within === null ? {} : { ids: within }),
      }),
    );

  return {
    async create(input) {
      const id = randomUUID();
      const external = input.database.mode === 'external' ? input.database : undefined;
      try {
        const row = await db.transaction(async (tx) => {
          const created = await tx.tenants.create({
            id,
            slug: input.slug,
            name: input.name,
            status: 'provisioning',
            databaseMode: input.database.mode,
            databaseDriver: external?.driver ?? null,
            databaseDsnEncrypted: external
              ? encryptSecret(masterKey, external.dsn, dsnAad(id))
              : null,
            settings: sealMailSettings(masterKey, id, input.settings, undefined),
          });
          const event = createEvent('tenant.created', id, {
            slug: created.slug,
            name: created.name,
            issuer: issuerOf(publicUrl, created.slug),
            database: external
              ? { mode: 'external', driver: external.driver }
              : { mode: 'managed' },
            settings: publicSettings(created.settings),
          });
          await addEvent(tx, event);
          return created;
        });
        deps.onOutboxWrite();
        return view(row);
      } catch (error) {
        if (error instanceof ConflictError) {
          throw new AppError('tenant_slug_taken', `The slug "${input.slug}" is taken.`);
        }
        throw error;
      }
    },

    async get(ref) {
      return view(await find(ref));
    },

    async list(query, within) {
      const page = await listPage(query, within ?? null);
      return { data: page.rows.map(view), next_cursor: page.nextCursor };
    },

    async idOf(ref) {
      return (await db.tenants.findByRef(ref))?.id;
    },

    async getStored(ref) {
      return stored(await find(ref));
    },

    async listStored(query) {
      const page = await listPage(query);
      return { rows: page.rows.map(stored), nextCursor: page.nextCursor };
    },

    async update(ref, input) {
      const current = await find(ref);
      if (current.status === 'deleting')
        throw new AppError('tenant_not_ready', 'The tenant is being deleted.');
      const row = await db.transaction(async (tx) => {
        const updated = await tx.tenants.update(current.id, {
          name: input.name,
          settings:
            input.settings &&
            sealMailSettings(masterKey, current.id, input.settings, current.settings),
        });
        if (!updated) throw new AppError('tenant_not_found');
        const changes = Object.keys(input).filter(
          (key) => input[key as keyof typeof input] !== undefined,
        );
        await addEvent(
          tx,
          createEvent('tenant.updated', updated.id, { slug: updated.slug, changes }),
        );
        return updated;
      });
      deps.onOutboxWrite();
      return view(row);
    },

    async remove(ref) {
      const current = await find(ref);
      if (current.status === 'deleting') return view(current);
      const row = await db.transaction(async (tx) => {
        await tx.tenants.setStatus(current.id, 'deleting', null);
        await addEvent(
          tx,
          createEvent('tenant.deleted', current.id, {
            slug: current.slug,
            // An external database belongs to the operator: it is never dropped.
            drop_database: current.databaseMode === 'managed',
          }),
        );
        return { ...current, status: 'deleting' as const, statusReason: null };
      });
      deps.onOutboxWrite();
      return view(row);
    },

    async requestKeyRotation(ref, requestedBy) {
      const tenant = await find(ref);
      if (tenant.status !== 'active') {
        throw new AppError(
          'tenant_not_ready',
          `Keys rotate only for active tenants (this one is ${tenant.status}).`,
        );
      }
      await db.transaction((tx) =>
        addEvent(
          tx,
          createEvent('tenant.keys.rotation_requested', tenant.id, {
            slug: tenant.slug,
            requested_by: requestedBy,
          }),
        ),
      );
      deps.onOutboxWrite();
      return { tenantId: tenant.id };
    },

    /** Idempotent: a redelivered answer leaves the same final state; late answers never resurrect. */
    async applyProvisioningResult(event) {
      const row = await db.tenants.findById(event.tenant_id);
      if (!row) return;
      switch (event.type) {
        case 'tenant.provisioned':
          if (row.status === 'provisioning' || row.status === 'failed') {
            await db.tenants.setStatus(row.id, 'active', null);
          }
          return;
        case 'tenant.provisioning_failed':
          if (row.status === 'provisioning') {
            await db.tenants.setStatus(row.id, 'failed', (event.data as { reason: string }).reason);
          }
          return;
        case 'tenant.deprovisioned':
          if (row.status === 'deleting') await db.tenants.delete(row.id);
          return;
        default:
          return;
      }
    },
  };
}
