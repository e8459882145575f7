import { randomBytes } from 'node:crypto';
import { allTools, startHttpServer, type RunningHttpServer } from '@hellojohn/mcp-server';
import { createControlPlaneClient } from '@hellojohn/sdk';
import { callFails, callOk, httpMcpClient } from './support/mcp';
import { startSystem, type System } from './support/system';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1' },
  },
};

/** The MCP server over streamable HTTP (issue 17): bearer authentication and read-only mode. */
describe('MCP server over streamable HTTP', () => {
  let system: System;
  let full: RunningHttpServer;
  let readOnly: RunningHttpServer;
  let apiKey: { id: string; key: string };
  const silent = (): void => undefined;

  beforeAll(async () => {
    system = await startSystem();
    const common = { cpUrl: system.cp.url, publicUrl: system.dp.url, host: '127.0.0.1', port: 0 };
    full = await startHttpServer({ ...common, readOnly: false, log: silent });
    readOnly = await startHttpServer({ ...common, readOnly: true, log: silent });
    const cp = createControlPlaneClient({
      baseUrl: system.cp.url,
      token: await system.adminToken(),
    });
    apiKey = await cp.apiKeys.create({ name: 'mcp', role: 'owner' });
  });
  afterAll(async () => {
    await full.close();
    await readOnly.close();
    await system.close();
  });

  const post = (token: string | undefined) =>
    fetch(full.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(initialize),
    });

  it('refuses a missing or unknown bearer with 401', async () => {
    const missing = await post(undefined);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await post('not-a-token')).status).toBe(401);
    expect((await post(`hjk_${randomBytes(24).toString('base64url')}`)).status).toBe(401);
    await expect(httpMcpClient(full.url, 'hjk_forged')).rejects.toMatchObject({ code: 401 });
  });

  it('serves every tool to an API key and acts as it', async () => {
    const client = await httpMcpClient(full.url, apiKey.key);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(allTools.map((t) => t.name).sort());
      const slug = `mcp-${randomBytes(3).toString('hex')}`;
      expect(await callOk(client, 'tenants_create', { slug, name: 'Over HTTP' })).toMatchObject({
        status: 'active',
      });
      await callOk(client, 'users_create', { tenant: slug, email: 'grace@example.com' });
      expect((await callOk(client, 'users_list', { tenant: slug })).items).toHaveLength(1);
      // A key granted every tenant may read the (embedded, so empty) dead-letter queue.
      expect(await callOk(client, 'dlq_list')).toMatchObject({ mode: 'in-process', items: [] });
      // One granted a single tenant may not: the queue holds every tenant's events.
      const narrow = await callOk(client, 'api_keys_create', {
        name: 'narrow',
        role: 'viewer',
        tenants: [slug],
      });
      const narrowClient = await httpMcpClient(full.url, narrow.key as string);
      try {
        expect(await callFails(narrowClient, 'dlq_list')).toMatch(/HTTP 403, forbidden/);
        expect((await callOk(narrowClient, 'users_list', { tenant: slug })).items).toHaveLength(1);
      } finally {
        await narrowClient.close();
      }
      // The audit log names the API key as the actor, and the MCP server by the request id.
      const audit = await callOk(client, 'audit_log_search', {
        action: 'tenant.created',
        target: (await callOk(client, 'tenants_get', { tenant: slug })).id,
      });
      expect(audit.items).toEqual([
        expect.objectContaining({
          actor: expect.stringContaining(apiKey.id),
          request_id: expect.stringMatching(/^mcp-/),
        }),
      ]);
    } finally {
      await client.close();
    }
  });

  it('accepts a CP admin token, and answers only POST', async () => {
    const token = await system.adminToken();
    const client = await httpMcpClient(full.url, token);
    try {
      expect(await callOk(client, 'health_check')).toMatchObject({ healthy: true });
    } finally {
      await client.close();
    }
    const get = await fetch(full.url, { headers: { authorization: `Bearer ${token}` } });
    expect(get.status).toBe(405);
  });

  it('hides every write in read-only mode', async () => {
    const client = await httpMcpClient(readOnly.url, apiKey.key);
    try {
      const { tools } = await client.listTools();
      const reads = allTools.filter((t) => t.kind === 'read').map((t) => t.name);
      expect(tools.map((t) => t.name).sort()).toEqual(reads.sort());
      for (const [name, args] of [
        ['api_keys_create', { name: 'x', role: 'owner' }],
        ['dlq_replay', { confirm: true }],
        ['organizations_create', { tenant: 'x', name: 'X', slug: 'x' }],
      ] as const) {
        expect((await client.callTool({ name, arguments: args })).isError).toBe(true);
      }
    } finally {
      await client.close();
    }
  });
});
