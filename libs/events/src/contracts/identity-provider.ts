import { z } from 'zod';

// Like resource events, an identity-provider event carries only the id: the data plane drops its
// cached copy of the tenant's providers and reads them again from the internal API. The three
// events share one shape; each keeps its own exported name because the contract names them.
const identityProviderChangeSchema = z.object({ identity_provider_id: z.string().min(1) });

/** `identity_provider.created`: an upstream identity provider was configured for the tenant. */
export const identityProviderCreatedDataSchema = identityProviderChangeSchema;

/** `identity_provider.updated`: a provider's settings or secret changed. */
export const identityProviderUpdatedDataSchema = identityProviderChangeSchema;

/** `identity_provider.deleted`: a provider was removed. */
export const identityProviderDeletedDataSchema = identityProviderChangeSchema;

export type IdentityProviderCreatedData = z.infer<typeof identityProviderCreatedDataSchema>;
export type IdentityProviderUpdatedData = z.infer<typeof identityProviderUpdatedDataSchema>;
export type IdentityProviderDeletedData = z.infer<typeof identityProviderDeletedDataSchema>;
