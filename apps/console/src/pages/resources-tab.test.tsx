import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Tenant } from '../api/types';
import { apiErrorOf } from '../api/api-error';
import { fakeCall, problem, renderWithApi } from '../test/fake-api';
import { ResourcesTab } from './resources-tab';

const TENANT = { slug: 'acme' } as Tenant;
const BASE = '/v1/tenants/acme/resources';
const resource = {
  id: 'res-1',
  name: 'Invoices',
  identifier: 'https://api.example.com/invoices',
  scopes: [{ name: 'invoices:read', description: 'Read invoices' }],
  access_token_alg: 'EdDSA',
  access_token_ttl: null,
  subjects: 'both',
  created_at: '2026-12-01T00:00:00Z',
  updated_at: '2026-12-01T00:00:00Z',
};

describe('ResourcesTab', () => {
  it('edits scopes keeping known descriptions, and lands a 400 on its field', async () => {
    const { call, calls } = fakeCall({
      [`GET ${BASE}`]: () => ({ data: [resource], next_cursor: null }),
      [`PATCH ${BASE}/res-1`]: (options) => {
        const body = options.body as { access_token_ttl: number | null };
        if (body.access_token_ttl !== null && body.access_token_ttl < 60) {
          throw apiErrorOf(400, {
            title: 'Validation failed',
            status: 400,
            code: 'validation_failed',
            errors: [{ path: 'access_token_ttl', message: 'must be at least 60' }],
          });
        }
        return { ...resource, ...(options.body as object) };
      },
    });
    renderWithApi(<ResourcesTab tenant={TENANT} />, { cp: call });
    const table = await screen.findByRole('table', { name: 'API resources' });
    fireEvent.click(within(table).getByRole('button', { name: 'Edit Invoices' }));
    const form = screen.getByRole('form', { name: 'Edit API resource Invoices' });
    const scopes = within(form).getByLabelText<HTMLInputElement>('Scopes');
    expect(scopes.value).toBe('invoices:read');
    fireEvent.change(scopes, { target: { value: 'invoices:read invoices:write' } });
    const ttl = within(form).getByLabelText('Access token lifetime (seconds)');
    fireEvent.change(ttl, { target: { value: '6' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save API resource' }));
    await waitFor(() => {
      expect(ttl.getAttribute('aria-invalid')).toBe('true');
    });
    expect(within(form).getByText('must be at least 60')).toBeTruthy();
    fireEvent.change(ttl, { target: { value: '600' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save API resource' }));
    await screen.findByText('API resource Invoices saved.');
    expect(calls).toContainEqual({
      method: 'PATCH',
      path: `${BASE}/res-1`,
      body: {
        name: 'Invoices',
        identifier: resource.identifier,
        scopes: [
          { name: 'invoices:read', description: 'Read invoices' },
          { name: 'invoices:write', description: null },
        ],
        access_token_alg: 'EdDSA',
        access_token_ttl: 600,
        subjects: 'both',
      },
    });
  });

  it('shows a 409 in the form summary and gates delete on the identifier', async () => {
    const { call, calls } = fakeCall({
      [`GET ${BASE}`]: () => ({ data: [resource], next_cursor: null }),
      [`POST ${BASE}`]: () => problem(409, 'resource_identifier_taken'),
      [`DELETE ${BASE}/res-1`]: () => undefined,
    });
    renderWithApi(<ResourcesTab tenant={TENANT} />, { cp: call });
    const table = await screen.findByRole('table', { name: 'API resources' });
    fireEvent.change(screen.getByLabelText('Resource name'), { target: { value: 'Dup' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create API resource' }));
    expect((await screen.findByRole('alert')).textContent).toContain('resource identifier taken');

    fireEvent.click(within(table).getByRole('button', { name: 'Delete Invoices' }));
    const dialog = screen.getByRole('alertdialog');
    const confirm = within(dialog).getByRole('button', { name: 'Delete API resource' });
    expect(confirm.hasAttribute('disabled')).toBe(true);
    fireEvent.change(within(dialog).getByRole('textbox'), {
      target: { value: resource.identifier },
    });
    fireEvent.click(confirm);
    await waitFor(() => {
      expect(calls).toContainEqual({ method: 'DELETE', path: `${BASE}/res-1`, body: undefined });
    });
  });
});
