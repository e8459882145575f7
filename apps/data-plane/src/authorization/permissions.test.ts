import { Permission, Permissions, permits, unionOf } from './permissions';

describe('permissions', () => {
  it('accepts resource:action, resource:* and *', () => {
    for (const ok of ['docs:write', 'billing.invoices:read', 'docs:*', '*', 'a-b:c_d']) {
      expect(Permission.safeParse(ok).success).toBe(true);
    }
  });

  it('refuses anything else', () => {
    for (const bad of [
      'docs',
      'Docs:write',
      'docs:',
      ':write',
      'a:b:c',
      '*:write',
      ' docs:write',
      '',
    ]) {
      expect(Permission.safeParse(bad).success).toBe(false);
    }
  });

  it('sorts and de-duplicates a list', () => {
    expect(Permissions.parse(['b:x', 'a:y', 'b:x'])).toEqual(['a:y', 'b:x']);
  });

  it('grants directly, by resource wildcard and by *', () => {
    expect(permits(['docs:write'], 'docs:write')).toBe(true);
    expect(permits(['docs:read'], 'docs:write')).toBe(false);
    expect(permits(['docs:*'], 'docs:write')).toBe(true);
    expect(permits(['users:*'], 'docs:write')).toBe(false);
    expect(permits(['*'], 'docs:write')).toBe(true);
    expect(unionOf([['b:x'], ['a:y', 'b:x']])).toEqual(['a:y', 'b:x']);
  });
});
