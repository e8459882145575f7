import { z } from 'zod';

// Like client events, a resource event carries only the id: the data plane drops its cached copy
// of the tenant's API resources (and the client grants on them) and reads them again.
const resourceId = z.string().min(1);

/** `resource.created`: an API resource was defined for the event's tenant. */
export const resourceCreatedDataSchema = z.object({ resource_id: resourceId });

/** `resource.updated`: an API resource changed, or a client's grant on it did. */
export const resourceUpdatedDataSchema = z.object({ resource_id: resourceId });

/** `resource.deleted`: an API resource was removed, with every grant on it. */
export const resourceDeletedDataSchema = z.object({ resource_id: resourceId });

export type ResourceCreatedData = z.infer<typeof resourceCreatedDataSchema>;
export type ResourceUpdatedData = z.infer<typeof resourceUpdatedDataSchema>;
export type ResourceDeletedData = z.infer<typeof resourceDeletedDataSchema>;
