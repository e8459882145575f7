import { authorizationClaims, TOKEN_PERMISSIONS_MAX } from './authorization-claims';

describe('authorizationClaims', () => {
  it('carries roles and permissions within the budget, with the organization', () => {
    expect(
      authorizationClaims({
        roles: ['editor'],
        permissions: ['docs:write'],
        organization: { id: 'o1', role: 'admin' },
      }),
    ).toEqual({ org_id: 'o1', org_role: 'admin', roles: ['editor'], permissions: ['docs:write'] });
  });

  it('past 50 permissions carries a reference instead', () => {
    const permissions = Array.from({ length: TOKEN_PERMISSIONS_MAX + 1 }, (_, i) => `r${i}:read`);
    expect(authorizationClaims({ roles: ['big'], permissions })).toEqual({
      roles: ['big'],
      permissions_ref: true,
    });
  });

  it('past 4 KiB carries a reference, and drops roles too long for 1 KiB', () => {
    const permissions = Array.from({ length: 40 }, (_, i) => `${'x'.repeat(100)}${i}:read`);
    const roles = Array.from({ length: 40 }, (_, i) => `${'r'.repeat(40)}${i}`);
    expect(authorizationClaims({ roles, permissions })).toEqual({ permissions_ref: true });
    expect(authorizationClaims({ roles: ['a'], permissions })).toEqual({
      roles: ['a'],
      permissions_ref: true,
    });
  });
});
