// Bulk user import and export (docs/migration.md). Both bodies are JSON Lines, not one JSON
// document, so these calls use fetch directly rather than the JSON core (`http-client.ts`).
import type { paths } from '../generated/data-plane';
import { apiErrorFrom } from './api-error';
import type { Send } from './http-client';
import { seg } from './http-client';
import type { Json } from './wire';

/** `202` of `POST /v1/admin/users/import`. */
export type UserImportAccepted = Json<paths['/v1/admin/users/import']['post']>;
/** Progress and outcome of an import job: counts, the first errors with line numbers. */
export type UserImportJob = Json<paths['/v1/admin/users/import/{job_id}']['get']>;
/** One user of an export, in the import format. */
export type ExportedUser = Json<paths['/v1/admin/users/export']['get']>;

/** What an upload may be: the file's bytes or text, or a stream of them. */
export type UserImportBody = string | Uint8Array | ReadableStream<Uint8Array>;

async function failure(response: Response): Promise<Error> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // Not JSON: the raw text is the body.
  }
  return apiErrorFrom(response.status, body, response.headers.get('x-request-id') ?? undefined);
}

/** The `admin.users` import/export calls of a data-plane client (`base` ends in `/t/{tenant}`). */
export function userTransferApi(base: string, send: Send, doFetch: typeof fetch) {
  return {
    /**
     * Uploads users as JSON Lines (default) or a JSON array (`format: 'array'`); the import runs
     * in the background: poll {@link importStatus} with the answered `job_id`.
     */
    async import(
      adminToken: string,
      body: UserImportBody,
      options: { format?: 'lines' | 'array' } = {},
    ): Promise<UserImportAccepted> {
      const response = await doFetch(`${base}/v1/admin/users/import`, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${adminToken}`,
          'content-type': options.format === 'array' ? 'application/json' : 'application/x-ndjson',
        },
        // Cast: under DOM typings (the console compiles this source) a Uint8Array of any
        // ArrayBufferLike is not a BodyInit, though every fetch accepts it.
        body: body as RequestInit['body'],
        // Node's fetch needs this to send a stream as the request body.
        ...(typeof body === 'object' && 'getReader' in body ? { duplex: 'half' } : {}),
      });
      if (!response.ok) throw await failure(response);
      return (await response.json()) as UserImportAccepted;
    },
    importStatus: (adminToken: string, jobId: string) =>
      send<UserImportJob>({
        method: 'GET',
        path: `/v1/admin/users/import/${seg(jobId)}`,
        token: adminToken,
      }),
    /**
     * The tenant's users, one at a time as the server streams them. Password hashes only with
     * `includePasswordHashes` and an owner's token.
     */
    async *export(
      adminToken: string,
      options: { includePasswordHashes?: boolean } = {},
    ): AsyncGenerator<ExportedUser> {
      const query = options.includePasswordHashes ? '?include_password_hashes=true' : '';
      const response = await doFetch(`${base}/v1/admin/users/export${query}`, {
        headers: { accept: 'application/x-ndjson', authorization: `Bearer ${adminToken}` },
      });
      if (!response.ok || !response.body) throw await failure(response);
      const decoder = new TextDecoder();
      let pending = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        let nl = pending.indexOf('\n');
        while (nl !== -1) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line !== '') yield JSON.parse(line) as ExportedUser;
          nl = pending.indexOf('\n');
        }
      }
      const last = (pending + decoder.decode()).trim();
      if (last !== '') yield JSON.parse(last) as ExportedUser;
    },
  };
}
