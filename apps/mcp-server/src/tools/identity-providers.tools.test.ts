import type { ToolContext } from '../context';
import { identityProviderTools } from './identity-providers.tools';

const SECRET = 'gh-secret-value-123';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIGT\n-----END PRIVATE KEY-----';

/** A control plane that (wrongly) echoes every body back: the tools must still not. */
function echoingContext(): ToolContext {
  const echo = async (_tenant: string, ...rest: unknown[]) => ({
    id: 'idp_1',
    name: 'GitHub',
    type: 'github',
    enabled: true,
    client_secret_set: true,
    callback_url: 'http://localhost/t/acme/login/federated/idp_1/callback',
    ...(rest.at(-1) as object),
  });
  return {
    cp: { identityProviders: { create: echo, update: echo } },
  } as unknown as ToolContext;
}

function tool(name: string) {
  const found = identityProviderTools.find((t) => t.name === name);
  if (!found) throw new Error(name);
  return found;
}

describe('identity provider tools', () => {
  it.each(['identity_providers_create', 'identity_providers_update'])(
    '%s never answers a secret or private key, even one the plane echoes',
    async (name) => {
      const args = tool(name).input.parse({
        tenant: 'acme',
        ...(name.endsWith('create')
          ? { type: 'github', name: 'GitHub', client_id: 'Iv1.abc' }
          : { provider_id: 'idp_1' }),
        client_secret: SECRET,
        apple: { team_id: 'ABCDE12345', key_id: 'KEY1234567', private_key: KEY },
      });
      const result = await tool(name).run(args, echoingContext());
      const text = JSON.stringify(result);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('PRIVATE KEY');
      expect(result.structured).toMatchObject({ apple: { team_id: 'ABCDE12345' } });
    },
  );

  it('refuses a create without the fields every provider needs', () => {
    expect(tool('identity_providers_create').input.safeParse({ tenant: 'acme' }).success).toBe(
      false,
    );
  });
});
