import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Tenant } from '../api/types';
import { fakeCall, renderWithApi } from '../test/fake-api';
import { UsersTab } from './users-tab';

const TENANT = { slug: 'acme' } as Tenant;
const BASE = '/t/acme/v1/admin/users';
const ana = {
  id: 'u-1',
  email: 'ana@example.com',
  name: 'Ana',
  status: 'active',
  email_verified: true,
  created_at: '2026-12-01T00:00:00Z',
};
const session = (n: number) => ({
  id: `s-${String(n)}`,
  kind: n === 1 ? 'browser' : 'token',
  amr: ['pwd', 'otp'],
  auth_time: '2026-12-01T00:00:00Z',
  client_id: n === 1 ? null : 'web-app',
  created_at: '2026-12-01T00:00:00Z',
  last_used_at: '2026-12-02T00:00:00Z',
  expires_at: '2026-12-31T00:00:00Z',
  ip: '203.0.113.7',
  user_agent: `Browser ${String(n)}`,
});

function users() {
  return { [`GET ${BASE}`]: () => ({ data: [ana], next_cursor: null }) };
}

describe('UsersTab', () => {
  it("pages through a user's sessions and ends one after confirmation", async () => {
    const { call, calls } = fakeCall({
      ...users(),
      [`GET ${BASE}/u-1/sessions`]: (options) =>
        (options.query as { cursor: string }).cursor === 'c2'
          ? { data: [session(3)], next_cursor: null }
          : { data: [session(1), session(2)], next_cursor: 'c2' },
      [`DELETE ${BASE}/u-1/sessions/s-2`]: () => undefined,
    });
    renderWithApi(<UsersTab tenant={TENANT} />, { dp: call });
    fireEvent.click(await screen.findByRole('button', { name: 'Sessions of ana@example.com' }));
    const table = await screen.findByRole('table', { name: 'Sessions of ana@example.com' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    const row = within(table).getByRole('row', { name: /Browser 2/ });
    expect(within(row).getByText('token')).toBeTruthy();
    expect(within(row).getByText('web-app')).toBeTruthy();
    expect(within(row).getByText('pwd otp')).toBeTruthy();
    expect(within(row).getByText('203.0.113.7')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('Browser 3');
    expect(calls.filter((c) => c.path === `${BASE}/u-1/sessions`)).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    await screen.findByText('Browser 2');

    const again = await screen.findByRole('table', { name: 'Sessions of ana@example.com' });
    fireEvent.click(within(again).getByRole('button', { name: /^End session token/ }));
    const dialog = screen.getByRole('alertdialog', {
      name: 'End this session of ana@example.com?',
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'End session' }));
    await screen.findByText('Session s-2 of ana@example.com ended.');
    expect(calls).toContainEqual({
      method: 'DELETE',
      path: `${BASE}/u-1/sessions/s-2`,
      body: undefined,
    });
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it("shows a user's factors and resets their MFA after confirmation", async () => {
    let factors = [
      {
        id: 'f-1',
        type: 'totp',
        name: 'Phone',
        confirmed: true,
        created_at: '2026-12-01T00:00:00Z',
        last_used_at: null,
      },
    ];
    const { call, calls } = fakeCall({
      ...users(),
      [`GET ${BASE}/u-1/mfa`]: () => ({
        user_id: 'u-1',
        factors,
        recovery_codes_remaining: factors.length > 0 ? 8 : 0,
      }),
      [`DELETE ${BASE}/u-1/mfa`]: () => {
        factors = [];
      },
    });
    renderWithApi(<UsersTab tenant={TENANT} />, { dp: call });
    fireEvent.click(await screen.findByRole('button', { name: 'Factors of ana@example.com' }));
    await screen.findByText(/totp Phone/);
    expect(screen.getByText('Recovery codes left: 8')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Reset MFA of ana@example.com' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Reset MFA of ana@example.com?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reset MFA' }));
    await screen.findByText('No factors enrolled.');
    expect(calls).toContainEqual({ method: 'DELETE', path: `${BASE}/u-1/mfa`, body: undefined });
    await waitFor(() => {
      expect(screen.getByText('Recovery codes left: 0')).toBeTruthy();
    });
    // Nothing left to reset.
    expect(screen.queryByRole('button', { name: 'Reset MFA of ana@example.com' })).toBeNull();
  });
});
