import { startDpSystem, type DpSystem } from './support/dp-system';

jest.setTimeout(60_000);

/** Embedded mode (SQLite, in-process bus): no durable dead-letter queue, said plainly. */
describe('the dead-letter routes in embedded mode', () => {
  let system: DpSystem;

  beforeAll(async () => {
    system = await startDpSystem();
  });
  afterAll(async () => {
    await system.close();
  });

  const call = (path: string, token: string, body?: unknown) =>
    fetch(`${system.dp.url}/v1/admin/ops/dead-letters${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('answers an empty list with mode in-process and a note', async () => {
    const response = await call('', await system.cpAdminToken('viewer'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      mode: 'in-process',
      queue: 'data-plane.provisioning.dlq',
      data: [],
      more: false,
      note: expect.stringContaining('HJ_RABBITMQ_URL'),
    });
  });

  it('replays nothing, still asking for confirm and an owner', async () => {
    const owner = await system.cpAdminToken('owner');
    expect((await call('/replay', owner, {})).status).toBe(400);
    expect(
      (await call('/replay', await system.cpAdminToken('viewer'), { confirm: true })).status,
    ).toBe(403);
    const response = await call('/replay', owner, { confirm: true });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ mode: 'in-process', replayed: 0 });
  });

  it('takes an API key with a grant on every tenant, and refuses a narrower one', async () => {
    const everyTenant = system.operators.addApiKey('viewer');
    expect((await call('', everyTenant.key)).status).toBe(200);
    const oneTenant = system.operators.addApiKey('owner', ['00000000-0000-4000-8000-000000000000']);
    const refused = await call('', oneTenant.key);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'forbidden' });
    expect((await call('?limit=0', everyTenant.key)).status).toBe(400);
  });
});
