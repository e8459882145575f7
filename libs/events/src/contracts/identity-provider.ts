import { z } from 'zod';

// Like resource events, an identity-provider event carries only the id: the data plane drops its
// cached copy of the tenant's providers and reads them again from the internal API.
const identityProviderId = z.string().min(1);

/** `identity_provider.created`: an upstream identity provider was configured for the tenant. */
export const identityProviderCreatedDataSchema = z.object({
  identity_provider_id: identityProviderId,
});

/** `identity_provider.updated`: a provider's settings or secret changed. */
export const identityProviderUpdatedDataSchema = z.object({
  identity_provider_id: identityProviderId,
});

/** `identity_provider.deleted`: a provider was removed. */
export const identityProviderDeletedDataSchema = z.object({
  identity_provider_id: identityProviderId,
});

export type IdentityProviderCreatedData = z.infer<typeof identityProviderCreatedDataSchema>;
export type IdentityProviderUpdatedData = z.infer<typeof identityProviderUpdatedDataSchema>;
export type IdentityProviderDeletedData = z.infer<typeof identityProviderDeletedDataSchema>;
