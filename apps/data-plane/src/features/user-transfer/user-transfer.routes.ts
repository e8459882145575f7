import { once } from 'node:events';
import type { ImportJobRow } from '@hellojohn/dal';
import { AppError, endpoint } from '@hellojohn/http';
import type { z } from 'zod';
import { audit } from '../../audit/audit';
import { requestMetaOf } from '../../audit/request-meta';
import { adminActorOf } from '../../guards/require-cp-admin';
import { tenantOf } from '../../tenancy/tenant-context';
import { exportUsers } from './user-export.service';
import type { UserImportService } from './user-import.service';
import {
  ExportLine,
  ExportQuery,
  ImportAccepted,
  ImportJob,
  ImportJobParams,
  ImportLine,
} from './user-transfer.schemas';

const TAGS = ['admin users'];

/**
 * What the export handler returns once it has streamed its answer through `res`: `endpoint()`
 * sees the headers sent and sends nothing more; `ExportLine` stays the documented line shape.
 */
const STREAMED = undefined as unknown as z.input<typeof ExportLine>;
const LINE_TYPES = ['application/x-ndjson', 'application/jsonl'];

/**
 * Why a field a line carried was accepted but not imported: jobs run before `identities` were
 * imported still carry their count.
 */
const NOT_IMPORTED: Record<string, string> = {
  identities: 'not imported by the version that ran this job',
};

function toJobView(job: ImportJobRow): z.input<typeof ImportJob> {
  return {
    job_id: job.id,
    status: job.status,
    total: job.total,
    imported: job.imported,
    updated: job.updated,
    failed: job.failed,
    errors: job.errors,
    ignored_fields: job.ignoredFields,
    warnings: Object.entries(job.ignoredFields).map(([field, lines]) => ({
      field,
      lines,
      reason: NOT_IMPORTED[field] ?? 'not imported yet',
    })),
    failure_reason: job.failureReason,
    created_at: job.createdAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
  };
}

/** Bulk import and export of a tenant's users (docs/migration.md); guards in routes/index.ts. */
export function userTransferRoutes(deps: { imports: UserImportService; masterKey: Buffer }) {
  return {
    startImport: endpoint(
      {
        summary: 'Import users (JSON Lines or a JSON array) as a background job',
        description:
          'One user per line (`application/x-ndjson` or `application/jsonl`) or per element of a JSON array (`application/json`), up to 100 MB (gzip, deflate or br allowed). Each line is validated on its own; the job then creates or updates users by email (idempotent), in batches. Poll `GET /v1/admin/users/import/{job_id}`.',
        tags: TAGS,
        streamBody: {
          mediaTypes: [...LINE_TYPES, 'application/json'],
          schema: ImportLine,
          description: 'One user object per line (or per array element).',
        },
        response: ImportAccepted,
        status: 202,
        errors: ['malformed_json'],
      },
      async function startUserImport(_input, req, res) {
        const kind = req.is(LINE_TYPES) ? 'lines' : 'array';
        const jobId = await deps.imports.start(
          tenantOf(res),
          adminActorOf(res),
          req,
          kind,
          requestMetaOf(req),
        );
        return { job_id: jobId };
      },
    ),
    importStatus: endpoint(
      {
        summary: 'Progress and outcome of a user import job',
        tags: TAGS,
        params: ImportJobParams,
        response: ImportJob,
        errors: ['import_job_not_found'],
      },
      async function getUserImport({ params }, _req, res) {
        return toJobView(await deps.imports.status(tenantOf(res), params.job_id));
      },
    ),
    exportUsers: endpoint(
      {
        summary: "Export the tenant's users as JSON Lines",
        description:
          'Streams `application/x-ndjson`, one user per line in the import format. `include_password_hashes=true` (password hashes and TOTP secrets) is for the admin role `owner` only and is audited.',
        tags: TAGS,
        query: ExportQuery,
        response: ExportLine,
        streamResponse: { mediaType: 'application/x-ndjson' },
        errors: ['insufficient_role'],
      },
      async function exportTenantUsers({ query }, req, res) {
        const tenant = tenantOf(res);
        const actor = adminActorOf(res);
        const includeHashes = query.include_password_hashes === 'true';
        if (includeHashes && actor.role !== 'owner') {
          throw new AppError('insufficient_role', 'Only an owner may export password hashes.');
        }
        await audit(tenant.db, requestMetaOf(req), {
          action: 'user_export.downloaded',
          outcome: 'success',
          actor: `cp-admin:${actor.adminId}`,
          // With the hashes come the users' TOTP secrets: the audit says both left.
          details: { password_hashes: includeHashes, totp_secrets: includeHashes },
        });
        const lines = exportUsers(tenant, { includeHashes, masterKey: deps.masterKey });
        // Read the first page before the status line, so a failing database still answers 503.
        const first = await lines.next();
        res.status(200);
        res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
        res.setHeader('Cache-Control', 'no-store');
        res.flushHeaders();
        try {
          for (let item = first; item.done !== true; item = await lines.next()) {
            if (!res.write(`${JSON.stringify(item.value)}\n`)) await once(res, 'drain');
          }
          res.end();
        } catch (error) {
          // Past the status line only a cut connection can tell the client the export is short.
          res.destroy(error instanceof Error ? error : undefined);
        }
        return STREAMED;
      },
    ),
  };
}
