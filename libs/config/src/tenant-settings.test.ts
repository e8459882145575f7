import { resolveTenantSettings, tenantSettingsSchema } from './tenant-settings';

const defaults = { accessTokenTtlSeconds: 900, bcryptCost: 11 };

/**
 * The lockout mode: a hard lockout (the default) or a progressive delay, per tenant.
 *
 * @see issue 15
 */
describe('tenant settings: lockout mode', () => {
  it('defaults to a hard lockout with a 30 s delay cap', () => {
    const resolved = resolveTenantSettings({}, defaults);
    expect(resolved.lockoutMode).toBe('lockout');
    expect(resolved.lockoutDelayMaxSeconds).toBe(30);
  });

  it('reads delay mode and its cap', () => {
    const resolved = resolveTenantSettings(
      { lockout: { mode: 'delay', delay_max_seconds: 120, max_failures: 5 } },
      defaults,
    );
    expect(resolved).toMatchObject({
      lockoutMode: 'delay',
      lockoutDelayMaxSeconds: 120,
      lockoutMaxFailures: 5,
    });
  });

  it.each([
    { mode: 'off' },
    { delay_max_seconds: 0 },
    { delay_max_seconds: 3601 },
    { delay_max_seconds: 1.5 },
  ])('refuses lockout %j', (lockout) => {
    expect(tenantSettingsSchema.safeParse({ lockout }).success).toBe(false);
  });
});

describe('tenant settings: read leniently', () => {
  it('keeps every valid setting when another one is unknown or invalid', () => {
    const resolved = resolveTenantSettings(
      {
        future_setting: { anything: true },
        lockout: { max_failures: 4, mode: 'sideways' },
        password_policy: { min_length: 20, future_rule: 1 },
        bcrypt_cost: 'high',
      },
      defaults,
    );
    expect(resolved).toMatchObject({
      lockoutMaxFailures: 4,
      lockoutMode: 'lockout',
      passwordMinLength: 20,
      bcryptCost: 11,
    });
  });

  it('falls back to every default for a value that is not an object', () => {
    expect(resolveTenantSettings(['x'], defaults).lockoutMaxFailures).toBe(10);
    expect(resolveTenantSettings(null, defaults).signUpEnabled).toBe(true);
  });
});

describe('tenant settings: mfa policy', () => {
  it('defaults to optional and reads off and required', () => {
    expect(resolveTenantSettings({}, defaults).mfa).toBe('optional');
    expect(resolveTenantSettings({ mfa: 'required' }, defaults).mfa).toBe('required');
    expect(resolveTenantSettings({ mfa: 'off' }, defaults).mfa).toBe('off');
  });

  it('refuses anything else on write, and reads it as the default', () => {
    expect(tenantSettingsSchema.safeParse({ mfa: 'always' }).success).toBe(false);
    expect(tenantSettingsSchema.safeParse({ mfa: true }).success).toBe(false);
    expect(resolveTenantSettings({ mfa: 'always', bcrypt_cost: 12 }, defaults)).toMatchObject({
      mfa: 'optional',
      bcryptCost: 12,
    });
  });
});

describe('tenant settings: access_token_alg', () => {
  it('defaults to EdDSA and reads RS256 and ES256', () => {
    expect(resolveTenantSettings({}, defaults).accessTokenAlg).toBe('EdDSA');
    expect(resolveTenantSettings({ access_token_alg: 'RS256' }, defaults).accessTokenAlg).toBe(
      'RS256',
    );
    expect(resolveTenantSettings({ access_token_alg: 'ES256' }, defaults).accessTokenAlg).toBe(
      'ES256',
    );
  });

  it('refuses other algorithms on write, naming the field, and reads them as the default', () => {
    for (const alg of ['HS256', 'none', 'es256', 'PS256', 42]) {
      const parsed = tenantSettingsSchema.safeParse({ access_token_alg: alg });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['access_token_alg']);
    }
    expect(
      resolveTenantSettings({ access_token_alg: 'HS256', bcrypt_cost: 12 }, defaults),
    ).toMatchObject({ accessTokenAlg: 'EdDSA', bcryptCost: 12 });
  });
});
