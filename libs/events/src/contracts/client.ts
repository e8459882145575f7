import { z } from 'zod';

// A client event carries only the id: the data plane drops its cached copy of the client and
// reads it again from the control plane's internal API when needed (never a secret or its hash).
const clientId = z.string().min(1);

/** `client.created`: a client was registered for the event's tenant. */
export const clientCreatedDataSchema = z.object({ client_id: clientId });

/** `client.updated`: a client's settings changed, or its secret was rotated. */
export const clientUpdatedDataSchema = z.object({ client_id: clientId });

/** `client.deleted`: a client was removed. */
export const clientDeletedDataSchema = z.object({ client_id: clientId });

export type ClientCreatedData = z.infer<typeof clientCreatedDataSchema>;
export type ClientUpdatedData = z.infer<typeof clientUpdatedDataSchema>;
export type ClientDeletedData = z.infer<typeof clientDeletedDataSchema>;
