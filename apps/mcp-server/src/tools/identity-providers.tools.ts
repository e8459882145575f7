import type { IdentityProvider } from '@hellojohn/sdk';
import { z } from 'zod';
import type { ToolContext } from '../context';
import { crudTools } from './crud-tools';

const types = ['oidc', 'github', 'google', 'microsoft', 'apple'] as const;
const clientSecret = z
  .string()
  .min(1)
  .max(2000)
  .describe(
    'The client secret the provider issued (not for apple). Stored encrypted; never shown again, ' +
      'not even by these tools.',
  );
const apple = z
  .strictObject({
    team_id: z.string().regex(/^[A-Z0-9]{10}$/),
    key_id: z.string().regex(/^[A-Z0-9]{10}$/),
    private_key: z
      .string()
      .max(4000)
      .describe('The .p8 key (PEM, PKCS #8). Stored encrypted; never shown again.'),
  })
  .describe('apple only: the Sign in with Apple key that signs the client secret.');
/** Fields a provider has both at creation and in an update. */
const providerFields = {
  issuer: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe(
      'oidc: the issuer URL (discovery at {issuer}/.well-known/openid-configuration). microsoft: ' +
        'the directory id or domain, or common / organizations / consumers.',
    ),
  client_secret: clientSecret.optional(),
  apple: apple.optional(),
  scopes: z
    .array(z.string().min(1).max(200))
    .max(30)
    .optional()
    .describe('Scopes asked of the provider; default per type (e.g. openid email profile).'),
  enabled: z.boolean().optional().describe('Shown as a button on the hosted login. Default true.'),
  button_label: z.string().min(1).max(100).nullable().optional(),
  icon_url: z.url().nullable().optional(),
  attribute_mapping: z
    .strictObject({
      email: z.string().min(1).max(100).optional(),
      name: z.string().min(1).max(100).optional(),
      picture: z.string().min(1).max(100).optional(),
    })
    .optional()
    .describe('Upstream claim names for email, name and picture (default: the same names).'),
};

/**
 * The provider as a tool answers it. The control plane never returns a secret; dropping the
 * input-only fields here too keeps one misbehaving answer from putting a secret in a transcript.
 */
function withoutSecrets<T extends object>(provider: T): T {
  const without = (value: object, key: string) =>
    Object.fromEntries(Object.entries(value).filter(([name]) => name !== key));
  const rest = without(provider, 'client_secret');
  const apple: unknown = rest['apple'];
  if (typeof apple === 'object' && apple !== null) rest['apple'] = without(apple, 'private_key');
  return rest as T;
}

/** The SDK's identity-provider calls, each answer passed through `withoutSecrets`. */
function providersOf(ctx: ToolContext) {
  const api = ctx.cp.identityProviders;
  return {
    list: async (tenant: string, query: { limit: number; cursor?: string }) => {
      const page = await api.list(tenant, query);
      return { data: page.data.map(withoutSecrets), next_cursor: page.next_cursor };
    },
    get: async (tenant: string, id: string) => withoutSecrets(await api.get(tenant, id)),
    create: async (tenant: string, body: Parameters<typeof api.create>[1]) =>
      withoutSecrets(await api.create(tenant, body)),
    update: async (tenant: string, id: string, body: Parameters<typeof api.update>[2]) =>
      withoutSecrets(await api.update(tenant, id, body)),
    delete: api.delete,
  };
}

/** A tenant's upstream identity providers: social and enterprise sign-in (docs/federation.md). */
export const identityProviderTools = crudTools<IdentityProvider>({
  area: 'identity_providers',
  noun: 'identity providers',
  id: {
    name: 'provider_id',
    schema: z.string().min(1).max(200).describe('The provider id (identity_providers_list).'),
  },
  output: {
    id: z.string(),
    type: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    client_secret_set: z.boolean(),
    callback_url: z.string(),
  },
  label: (provider) => `${provider.name} (${provider.type}, ${provider.id})`,
  sdk: providersOf,
  list: {
    example: { tenant: 'acme' },
    title: "List a tenant's identity providers",
    description:
      "The tenant's upstream identity providers (OpenID Connect, GitHub, Google, Microsoft, " +
      'Apple): type, name, enabled, client_id, whether a secret is set, and the callback_url to ' +
      'register at the provider. Never secrets.',
  },
  get: {
    example: { tenant: 'acme', provider_id: '0b7c6a52-58a4-4c47-9d49-4f3d1d7c2e10' },
    title: 'Get an identity provider',
    description:
      'One upstream identity provider with its callback_url (the redirect URI to register at the ' +
      'provider). Never its secret or key.',
  },
  create: {
    example: {
      tenant: 'acme',
      type: 'github',
      name: 'GitHub',
      client_id: 'Iv1.0123456789abcdef',
      client_secret: '<from the GitHub OAuth app>',
    },
    title: 'Add an identity provider',
    description:
      'Adds social or enterprise sign-in to the tenant: type oidc (needs issuer), github, ' +
      'google, microsoft (issuer: the directory, default common) or apple (needs apple ' +
      '{team_id, key_id, private_key} instead of client_secret). The hosted login then shows a ' +
      'button for it. Secrets are stored encrypted and never shown again; the answer carries the ' +
      'callback_url to register at the provider.',
    input: {
      type: z.enum(types),
      name: z.string().min(1).max(200).describe('Shown on the button, e.g. "GitHub".'),
      client_id: z.string().min(1).max(500),
      ...providerFields,
    },
    summary: (provider) =>
      `added ${provider.name} (${provider.id}); register ${provider.callback_url} at the provider`,
  },
  update: {
    example: {
      tenant: 'acme',
      provider_id: '0b7c6a52-58a4-4c47-9d49-4f3d1d7c2e10',
      enabled: false,
    },
    title: 'Change an identity provider',
    description:
      'Changes the fields given: enable or disable it, rename it, or replace its client_id, ' +
      'secret or Apple key (a secret given replaces the stored one; it is never shown again).',
    input: {
      name: z.string().min(1).max(200).optional(),
      client_id: z.string().min(1).max(500).optional(),
      ...providerFields,
    },
  },
  delete: {
    example: { tenant: 'acme', provider_id: '0b7c6a52-58a4-4c47-9d49-4f3d1d7c2e10', confirm: true },
    title: 'Delete an identity provider',
    description:
      'Deletes an upstream identity provider: its button leaves the hosted login; users who ' +
      'signed in with it keep their accounts, but their link to it stops working.',
  },
});
