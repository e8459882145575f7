import { fireEvent, screen, within } from '@testing-library/react';
import { fakeCall, renderWithApi } from '../test/fake-api';
import { AdminsPage } from './admins-page';

const admin = (id: string, email: string, status: string) => ({
  id,
  email,
  status,
  role: 'admin',
  disabled: status === 'disabled',
  tenants: '*',
  created_at: '2026-12-01T00:00:00Z',
});

const invited = (email: string, mail: string) => ({
  ...admin('a-new', email, 'invited'),
  invitation: { mail, expires_at: '2026-12-04T00:00:00Z' },
});

describe('AdminsPage', () => {
  it('lists each admin with its status and resends an invitation', async () => {
    const { call, calls } = fakeCall({
      'GET /v1/admins': () => ({
        data: [
          admin('a-1', 'owner@example.com', 'active'),
          admin('a-2', 'new@example.com', 'invited'),
          admin('a-3', 'gone@example.com', 'disabled'),
        ],
        next_cursor: null,
      }),
      'POST /v1/admins/a-2/invitation': () => invited('new@example.com', 'sent'),
    });
    renderWithApi(<AdminsPage />, { cp: call });
    const table = await screen.findByRole('table', { name: 'Control-plane admins' });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]?.textContent).toContain('active');
    expect(rows[2]?.textContent).toContain('invited');
    expect(rows[3]?.textContent).toContain('disabled');
    // Only the invited admin can be sent a new link.
    expect(within(table).getAllByRole('button')).toHaveLength(1);

    fireEvent.click(
      within(table).getByRole('button', { name: 'Resend invitation to new@example.com' }),
    );
    expect(await screen.findByText(/Invitation mailed to new@example.com/)).toBeTruthy();
    expect(calls).toContainEqual({
      method: 'POST',
      path: '/v1/admins/a-2/invitation',
      body: {},
    });
  });

  it('invites by email alone and says where the link went', async () => {
    const { call, calls } = fakeCall({
      'GET /v1/admins': () => ({ data: [], next_cursor: null }),
      'POST /v1/admins': () => invited('ops@example.com', 'logged'),
    });
    renderWithApi(<AdminsPage />, { cp: call });
    expect(screen.queryByLabelText(/password/i)).toBeNull();
    fireEvent.change(screen.getByLabelText('Admin email'), {
      target: { value: 'ops@example.com' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(
      await screen.findByText(/the invitation link is in the control plane's log/),
    ).toBeTruthy();
    expect(calls).toContainEqual({
      method: 'POST',
      path: '/v1/admins',
      body: { email: 'ops@example.com', role: 'admin', invite: true },
    });
  });
});
