import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Tenant } from '../api/types';
import { fakeCall, renderWithApi } from '../test/fake-api';
import { IdentityProvidersTab } from './identity-providers-tab';

const TENANT = { slug: 'acme' } as Tenant;
const BASE = '/v1/tenants/acme/identity-providers';
const CALLBACK = 'http://dp.test/t/acme/login/federated/idp-1/callback';

const provider = {
  id: 'idp-1',
  type: 'google',
  name: 'Google',
  client_id: 'g-client',
  client_secret_set: true,
  issuer: null,
  apple: null,
  scopes: ['openid', 'email', 'profile'],
  enabled: true,
  button_label: null,
  callback_url: CALLBACK,
  created_at: '2026-12-01T00:00:00Z',
  updated_at: '2026-12-01T00:00:00Z',
};

describe('IdentityProvidersTab', () => {
  it('lists providers with their callback URL, never a secret, and disables and deletes', async () => {
    const { call, calls } = fakeCall({
      [`GET ${BASE}`]: () => ({ data: [provider], next_cursor: null }),
      [`PATCH ${BASE}/idp-1`]: () => ({ ...provider, enabled: false }),
      [`DELETE ${BASE}/idp-1`]: () => undefined,
    });
    renderWithApi(<IdentityProvidersTab tenant={TENANT} />, { cp: call });
    const table = await screen.findByRole('table', { name: 'Identity providers' });
    const row = within(table).getAllByRole('row')[1];
    expect(row?.textContent).toContain(CALLBACK);
    expect(row?.textContent).toContain('stored');

    fireEvent.click(within(table).getByRole('button', { name: 'Disable Google' }));
    await waitFor(() => {
      expect(calls).toContainEqual({
        method: 'PATCH',
        path: `${BASE}/idp-1`,
        body: { enabled: false },
      });
    });

    fireEvent.click(within(table).getByRole('button', { name: 'Delete Google' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete identity provider Google?' });
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete provider' }));
    await waitFor(() => {
      expect(screen.queryByRole('alertdialog')).toBeNull();
    });
    expect(calls).toContainEqual({ method: 'DELETE', path: `${BASE}/idp-1`, body: undefined });
  });

  it('asks each type for its own fields and shows the callback URL to register', async () => {
    const { call, calls } = fakeCall({
      [`GET ${BASE}`]: () => ({ data: [], next_cursor: null }),
      [`POST ${BASE}`]: () => ({ ...provider, type: 'oidc', name: 'Corp SSO' }),
    });
    renderWithApi(<IdentityProvidersTab tenant={TENANT} />, { cp: call });
    await screen.findByText('No identity providers yet');

    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'apple' } });
    expect(screen.queryByLabelText('Client secret')).toBeNull();
    expect(screen.getByLabelText('Private key (.p8)')).toBeTruthy();
    expect(screen.getByLabelText('Team id')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'oidc' } });
    expect(screen.queryByLabelText('Private key (.p8)')).toBeNull();
    const secret = screen.getByLabelText('Client secret');
    expect(secret.getAttribute('type')).toBe('password');
    fireEvent.change(screen.getByLabelText('Display name'), { target: { value: 'Corp SSO' } });
    fireEvent.change(screen.getByLabelText('Client id'), { target: { value: 'rp-1' } });
    fireEvent.change(secret, { target: { value: 's3cret' } });
    fireEvent.change(screen.getByLabelText('Issuer URL'), {
      target: { value: 'https://sso.example.com' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add provider' }));

    expect(await screen.findByDisplayValue(CALLBACK)).toBeTruthy();
    expect(calls).toContainEqual({
      method: 'POST',
      path: BASE,
      body: {
        type: 'oidc',
        name: 'Corp SSO',
        client_id: 'rp-1',
        client_secret: 's3cret',
        issuer: 'https://sso.example.com',
      },
    });
    // Write-only: the secret leaves the form once sent.
    expect(screen.getByLabelText<HTMLInputElement>('Client secret').value).toBe('');
  });

  it('edits a provider: nothing secret pre-filled, a blank secret keeps the stored one', async () => {
    const { call, calls } = fakeCall({
      [`GET ${BASE}`]: () => ({ data: [provider], next_cursor: null }),
      [`PATCH ${BASE}/idp-1`]: (options) => ({ ...provider, ...(options.body as object) }),
    });
    renderWithApi(<IdentityProvidersTab tenant={TENANT} />, { cp: call });
    const table = await screen.findByRole('table', { name: 'Identity providers' });
    fireEvent.click(within(table).getByRole('button', { name: 'Edit Google' }));

    const form = screen.getByRole('form', { name: 'Edit identity provider Google' });
    expect(within(form).queryByLabelText('Type')).toBeNull();
    expect(within(form).getByLabelText<HTMLInputElement>('Client id').value).toBe('g-client');
    expect(within(form).getByLabelText<HTMLInputElement>('Client secret').value).toBe('');
    fireEvent.change(within(form).getByLabelText('Display name'), {
      target: { value: 'Google Workspace' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Save provider' }));
    await screen.findByText('Google Workspace saved.');
    expect(calls).toContainEqual({
      method: 'PATCH',
      path: `${BASE}/idp-1`,
      body: {
        name: 'Google Workspace',
        client_id: 'g-client',
        scopes: ['openid', 'email', 'profile'],
      },
    });

    // A typed secret replaces the stored one.
    fireEvent.click(within(table).getByRole('button', { name: 'Edit Google' }));
    const again = screen.getByRole('form', { name: 'Edit identity provider Google' });
    fireEvent.change(within(again).getByLabelText('Client secret'), { target: { value: 'n3w' } });
    fireEvent.click(within(again).getByRole('button', { name: 'Save provider' }));
    await waitFor(() => {
      expect(calls.at(-1)?.body).toMatchObject({ client_secret: 'n3w' });
    });
  });
});
