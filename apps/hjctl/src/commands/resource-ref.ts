import type { ControlPlaneClient } from '@hellojohn/sdk';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An API resource's id as given, or the id of the resource whose identifier is exactly `ref`:
 * ids are UUIDs and identifiers absolute URIs, so the two never collide.
 */
export async function resourceIdOf(
  cp: ControlPlaneClient,
  tenant: string,
  ref: string,
): Promise<string> {
  if (UUID.test(ref)) return ref;
  for await (const resource of cp.resources.iterate(tenant, { limit: 100 })) {
    if (resource.identifier === ref) return resource.id;
  }
  throw new Error(`no API resource with identifier ${ref}`);
}
