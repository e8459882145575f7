import type { ControlPlaneClient } from './control-plane-client';
import { createTenantDirectory } from './tenant-directory';

function countingClient(): { client: ControlPlaneClient; reads: string[] } {
  const reads: string[] = [];
  const client: ControlPlaneClient = {
    getTenant: (ref) => {
      reads.push(ref);
      return Promise.resolve(undefined);
    },
    listTenants: () => Promise.resolve({ data: [], next_cursor: null }),
    getClient: () => Promise.resolve(undefined),
    listClients: () => Promise.resolve(undefined),
    listResources: () => Promise.resolve(undefined),
  };
  return { client, reads };
}

describe('the tenant directory', () => {
  it('remembers an unknown slug for a moment instead of asking again', async () => {
    const { client, reads } = countingClient();
    const directory = createTenantDirectory({ client, negativeTtlMs: 60_000 });
    await directory.resolve('nobody');
    await directory.resolve('nobody');
    expect(reads).toEqual(['nobody']);
  });

  it('keeps at most maxEntries keys, so made-up slugs cannot grow it without bound (@see issue 15)', async () => {
    const { client, reads } = countingClient();
    const directory = createTenantDirectory({ client, negativeTtlMs: 60_000, maxEntries: 3 });
    for (const ref of ['a', 'b', 'c', 'd']) await directory.resolve(ref);
    await directory.resolve('a');
    // 'a' was the oldest of four entries with room for three: it was dropped and read again.
    expect(reads).toEqual(['a', 'b', 'c', 'd', 'a']);
  });
});
