import { relyingPartyIssues, rpIdFitsOrigin, webauthnOrigin } from './webauthn-rp';
import { loadConfig } from './load-config';
import { resolveTenantSettings, tenantSettingsSchema } from './tenant-settings';

describe('rpIdFitsOrigin', () => {
  it.each([
    ['example.com', 'https://example.com'],
    ['example.com', 'https://login.example.com'],
    ['example.com', 'https://a.b.example.com:8443'],
    ['login.example.com', 'https://login.example.com'],
    ['localhost', 'http://localhost:8080'],
    ['127.0.0.1', 'http://127.0.0.1:3000'],
  ])('accepts %s for %s', (rpId, origin) => {
    expect(rpIdFitsOrigin(rpId, origin)).toBe(true);
  });

  it.each([
    ['example.com', 'https://example.org'],
    // A suffix of the string, not of the labels.
    ['ample.com', 'https://example.com'],
    ['login.example.com', 'https://example.com'],
    ['other.example.com', 'https://login.example.com'],
    // A bare top-level label is never registrable.
    ['com', 'https://example.com'],
    ['localhost', 'https://app.localhost'],
    ['0.0.1', 'http://127.0.0.1'],
    ['127.0.0.1', 'http://127.0.0.2'],
    ['example.com', 'not a url'],
    ['example.com', 'ftp://example.com'],
  ])('refuses %s for %s', (rpId, origin) => {
    expect(rpIdFitsOrigin(rpId, origin)).toBe(false);
  });
});

describe('webauthnOrigin', () => {
  it('keeps https origins and http on loopback', () => {
    expect(webauthnOrigin('https://login.example.com')).toBe('https://login.example.com');
    expect(webauthnOrigin('https://login.example.com:8443')).toBe('https://login.example.com:8443');
    expect(webauthnOrigin('http://localhost:8080')).toBe('http://localhost:8080');
    expect(webauthnOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
  });

  it('refuses paths, plain http elsewhere and non-URLs', () => {
    expect(webauthnOrigin('https://example.com/login')).toBeUndefined();
    expect(webauthnOrigin('http://example.com')).toBeUndefined();
    expect(webauthnOrigin('example.com')).toBeUndefined();
    expect(webauthnOrigin('')).toBeUndefined();
  });
});

describe('relyingPartyIssues', () => {
  it('names every origin the RP ID does not fit', () => {
    expect(relyingPartyIssues('example.com', ['https://a.example.com'])).toEqual([]);
    const issues = relyingPartyIssues('example.com', [
      'https://a.example.com',
      'https://evil.test',
      'https://example.net',
    ]);
    expect(issues).toHaveLength(2);
    expect(issues[0]).toContain('https://evil.test');
  });

  it('refuses an RP ID that is no host name', () => {
    expect(relyingPartyIssues('Example.com', ['https://example.com'])).toHaveLength(1);
    expect(relyingPartyIssues('https://example.com', ['https://example.com'])).toHaveLength(1);
  });
});

describe('the webauthn tenant setting', () => {
  it('accepts a fitting RP ID and origins and resolves them', () => {
    const settings = { webauthn: { rp_id: 'example.com', origins: ['https://id.example.com'] } };
    expect(tenantSettingsSchema.safeParse(settings).success).toBe(true);
    const policy = resolveTenantSettings(settings, { accessTokenTtlSeconds: 900, bcryptCost: 4 });
    expect(policy.webauthnRpId).toBe('example.com');
    expect(policy.webauthnOrigins).toEqual(['https://id.example.com']);
  });

  it('refuses an RP ID that does not fit its origins, naming rp_id', () => {
    const parsed = tenantSettingsSchema.safeParse({
      webauthn: { rp_id: 'example.com', origins: ['https://id.example.com', 'https://x.test'] },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['webauthn.rp_id']);
  });

  it('refuses an origin with a path', () => {
    const parsed = tenantSettingsSchema.safeParse({
      webauthn: { origins: ['https://id.example.com/login'] },
    });
    expect(parsed.success).toBe(false);
  });

  it('falls back to the defaults (null) when the stored value is invalid', () => {
    const policy = resolveTenantSettings(
      { webauthn: { rp_id: 'example.com', origins: ['https://x.test'] }, sign_up_enabled: false },
      { accessTokenTtlSeconds: 900, bcryptCost: 4 },
    );
    expect(policy.webauthnRpId).toBeNull();
    expect(policy.signUpEnabled).toBe(false);
  });
});

describe('HJ_WEBAUTHN_* variables', () => {
  const base = {
    HJ_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    HJ_INTERNAL_TOKEN: 'x'.repeat(32),
  };

  it('default to unset (the data plane derives them from HJ_PUBLIC_URL)', () => {
    const config = loadConfig(base);
    expect(config.webauthnRpId).toBeUndefined();
    expect(config.webauthnOrigins).toBeUndefined();
  });

  it('parse a fitting RP ID and comma-separated origins', () => {
    const config = loadConfig({
      ...base,
      HJ_PUBLIC_URL: 'https://id.example.com',
      HJ_WEBAUTHN_RP_ID: 'example.com',
      HJ_WEBAUTHN_ORIGINS: 'https://id.example.com, https://app.example.com',
    });
    expect(config.webauthnRpId).toBe('example.com');
    expect(config.webauthnOrigins).toEqual(['https://id.example.com', 'https://app.example.com']);
  });

  it('refuse an RP ID that does not fit HJ_PUBLIC_URL or the origins', () => {
    expect(() =>
      loadConfig({
        ...base,
        HJ_PUBLIC_URL: 'https://id.example.com',
        HJ_WEBAUTHN_RP_ID: 'example.org',
      }),
    ).toThrow(/HJ_WEBAUTHN_RP_ID/);
    expect(() =>
      loadConfig({ ...base, HJ_WEBAUTHN_ORIGINS: 'https://a.example.com/path' }),
    ).toThrow(/HJ_WEBAUTHN_ORIGINS/);
  });
});
