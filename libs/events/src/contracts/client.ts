import { z } from 'zod';

/**
 * `client.created`, `client.updated`, `client.deleted`: the data plane drops its cached copy of
 * the client and reads it again from the control plane when needed, so the id is all it needs.
 */
export const clientChangedDataSchema = z.object({
  client_id: z.string().min(1),
});

export const clientCreatedDataSchema = clientChangedDataSchema;
export const clientUpdatedDataSchema = clientChangedDataSchema;
export const clientDeletedDataSchema = clientChangedDataSchema;

export type ClientCreatedData = z.infer<typeof clientCreatedDataSchema>;
export type ClientUpdatedData = z.infer<typeof clientUpdatedDataSchema>;
export type ClientDeletedData = z.infer<typeof clientDeletedDataSchema>;
