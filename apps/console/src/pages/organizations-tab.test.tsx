import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Tenant } from '../api/types';
import { fakeCall, problem, renderWithApi } from '../test/fake-api';
import { OrganizationsTab } from './organizations-tab';

const TENANT = { slug: 'acme' } as Tenant;
const BASE = '/t/acme/v1/admin/organizations';
const org = (n: number) => ({
  id: `org-${String(n)}`,
  slug: `team-${String(n)}`,
  name: `Team ${String(n)}`,
  metadata: {},
  created_at: '2026-12-01T00:00:00Z',
  updated_at: '2026-12-01T00:00:00Z',
});
const ana = {
  user_id: 'u-1',
  email: 'ana@example.com',
  name: 'Ana',
  role: 'owner',
  joined_at: '2026-12-01T00:00:00Z',
};

describe('OrganizationsTab', () => {
  beforeEach(() => {
    window.history.replaceState(null, '', '/console/t/acme/organizations');
  });

  it('searches and pages through the query string', async () => {
    const { call, calls } = fakeCall({
      [`GET ${BASE}`]: (options) => {
        const query = options.query as { search: string; cursor: string };
        if (query.cursor === 'c2') return { data: [org(3)], next_cursor: null };
        return { data: [org(1), org(2)], next_cursor: 'c2' };
      },
    });
    renderWithApi(<OrganizationsTab tenant={TENANT} />, { dp: call });
    const table = await screen.findByRole('table', { name: 'Organizations' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);

    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('cell', { name: 'Team 3' });
    expect(window.location.search).toBe('?cursor=c2');

    fireEvent.change(screen.getByLabelText('Search by name or slug'), {
      target: { value: 'team' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    // A new search drops the cursor.
    await waitFor(() => {
      expect(window.location.search).toBe('?search=team');
    });
    await waitFor(() => {
      expect(calls.at(-1)?.path).toBe(BASE);
    });
  });

  it('creates, edits, and deletes only after the slug is typed', async () => {
    const { call, calls } = fakeCall({
      [`GET ${BASE}`]: () => ({ data: [org(1)], next_cursor: null }),
      [`POST ${BASE}`]: () => problem(409, 'organization_slug_taken', 'team-1 is taken'),
      [`PATCH ${BASE}/org-1`]: (options) => ({ ...org(1), ...(options.body as object) }),
      [`DELETE ${BASE}/org-1`]: () => undefined,
    });
    renderWithApi(<OrganizationsTab tenant={TENANT} />, { dp: call });
    const table = await screen.findByRole('table', { name: 'Organizations' });

    fireEvent.change(screen.getByLabelText('Organization name'), { target: { value: 'Dup' } });
    fireEvent.change(screen.getByLabelText('Organization slug'), { target: { value: 'team-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create organization' }));
    expect((await screen.findByRole('alert')).textContent).toContain('team-1 is taken');

    fireEvent.click(within(table).getByRole('button', { name: 'Edit Team 1' }));
    const form = screen.getByRole('form', { name: 'Edit organization Team 1' });
    fireEvent.change(within(form).getByLabelText('Organization name'), {
      target: { value: 'Team One' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Save organization' }));
    await screen.findByText('Organization Team One saved.');
    expect(calls).toContainEqual({
      method: 'PATCH',
      path: `${BASE}/org-1`,
      body: { name: 'Team One', slug: 'team-1' },
    });

    fireEvent.click(within(table).getByRole('button', { name: 'Delete Team 1' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete organization Team 1?' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete organization' });
    expect(confirm.hasAttribute('disabled')).toBe(true);
    fireEvent.change(within(dialog).getByRole('textbox'), { target: { value: 'team-1' } });
    fireEvent.click(confirm);
    await screen.findByText('Organization Team 1 deleted.');
    expect(calls).toContainEqual({ method: 'DELETE', path: `${BASE}/org-1`, body: undefined });
  });

  it('lists members with roles, adds one by email, and shows last_owner', async () => {
    const members: (Omit<typeof ana, 'name'> & { name: string | null })[] = [ana];
    const { call, calls } = fakeCall({
      [`GET ${BASE}`]: () => ({ data: [org(1)], next_cursor: null }),
      [`GET ${BASE}/org-1/members`]: () => ({ data: [...members], next_cursor: null }),
      [`GET ${BASE}/org-1/invitations`]: () => ({ data: [], next_cursor: null }),
      'GET /t/acme/v1/admin/roles': () => ({
        data: [{ key: 'owner', name: 'Owner', permissions: [] }],
        next_cursor: null,
      }),
      'GET /t/acme/v1/admin/users': () => ({
        data: [
          { id: 'u-22', email: 'bob@example.com.au' },
          { id: 'u-2', email: 'bob@example.com' },
        ],
        next_cursor: null,
      }),
      [`PUT ${BASE}/org-1/members/u-2`]: (options) => {
        const added = { ...ana, user_id: 'u-2', email: 'bob@example.com', name: null };
        const member = { ...added, role: (options.body as { role: string }).role };
        members.push(member);
        return member;
      },
      [`DELETE ${BASE}/org-1/members/u-1`]: () =>
        problem(409, 'last_owner', 'ana@example.com is the only owner of team-1'),
    });
    renderWithApi(<OrganizationsTab tenant={TENANT} />, { dp: call });
    const table = await screen.findByRole('table', { name: 'Organizations' });
    fireEvent.click(within(table).getByRole('button', { name: 'Members of Team 1' }));
    const list = await screen.findByRole('table', { name: 'Members of Team 1' });
    expect(within(list).getByRole('cell', { name: 'owner' })).toBeTruthy();
    await screen.findByText(/A tenant role \(owner\)/);

    fireEvent.change(screen.getByLabelText('Member email'), {
      target: { value: 'Bob@example.com' },
    });
    fireEvent.change(screen.getByLabelText('Member role'), { target: { value: 'owner' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save member' }));
    await screen.findByText('bob@example.com is owner of Team 1.');
    expect(calls).toContainEqual({
      method: 'PUT',
      path: `${BASE}/org-1/members/u-2`,
      body: { role: 'owner' },
    });
    await within(list).findByRole('cell', { name: 'bob@example.com' });

    fireEvent.click(within(list).getByRole('button', { name: 'Remove ana@example.com' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove member' }));
    expect((await screen.findByRole('alert')).textContent).toContain('the only owner');
  });

  it('lists pending invitations a page at a time and revokes one after confirmation', async () => {
    const invitation = (n: number) => ({
      id: `inv-${String(n)}`,
      email: `guest${String(n)}@example.com`,
      role: 'member',
      invited_by: 'u-1',
      created_at: '2026-12-01T00:00:00Z',
      expires_at: '2026-12-08T00:00:00Z',
    });
    let pending = [invitation(1), invitation(2)];
    const { call, calls } = fakeCall({
      [`GET ${BASE}`]: () => ({ data: [org(1)], next_cursor: null }),
      [`GET ${BASE}/org-1/members`]: () => ({ data: [ana], next_cursor: null }),
      'GET /t/acme/v1/admin/roles': () => ({ data: [], next_cursor: null }),
      [`GET ${BASE}/org-1/invitations`]: (options) =>
        (options.query as { cursor: string }).cursor === 'c2'
          ? { data: [invitation(3)], next_cursor: null }
          : { data: pending, next_cursor: 'c2' },
      [`DELETE ${BASE}/org-1/invitations/inv-2`]: () => {
        pending = pending.filter((i) => i.id !== 'inv-2');
      },
    });
    renderWithApi(<OrganizationsTab tenant={TENANT} />, { dp: call });
    const table = await screen.findByRole('table', { name: 'Organizations' });
    fireEvent.click(within(table).getByRole('button', { name: 'Members of Team 1' }));
    const list = await screen.findByRole('table', { name: 'Pending invitations to Team 1' });
    expect(within(list).getAllByRole('row')).toHaveLength(3);
    const invitations = screen.getByRole('region', { name: 'Pending invitations to Team 1' });
    fireEvent.click(within(invitations).getByRole('button', { name: 'Next' }));
    await within(invitations).findByText('guest3@example.com');
    fireEvent.click(within(invitations).getByRole('button', { name: 'Previous' }));
    await within(invitations).findByText('guest2@example.com');

    fireEvent.click(
      within(invitations).getByRole('button', { name: 'Revoke invitation of guest2@example.com' }),
    );
    const dialog = screen.getByRole('alertdialog', {
      name: 'Revoke the invitation of guest2@example.com?',
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke invitation' }));
    await screen.findByText('Invitation of guest2@example.com revoked.');
    expect(calls).toContainEqual({
      method: 'DELETE',
      path: `${BASE}/org-1/invitations/inv-2`,
      body: undefined,
    });
    await waitFor(() => {
      expect(within(invitations).queryByText('guest2@example.com')).toBeNull();
    });
  });
});
