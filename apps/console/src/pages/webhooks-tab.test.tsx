import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Tenant } from '../api/types';
import { fakeCall, renderWithApi } from '../test/fake-api';
import { WebhooksTab } from './webhooks-tab';

const TENANT = { slug: 'acme' } as Tenant;
const BASE = '/v1/tenants/acme/webhooks';
const hook = {
  id: 'wh-1',
  url: 'https://hooks.example.com/in',
  event_types: ['user.*'],
  enabled: true,
  description: null,
  failing_since: null,
  previous_secret_expires_at: null,
  created_at: '2026-12-01T00:00:00Z',
  updated_at: '2026-12-01T00:00:00Z',
};

describe('WebhooksTab', () => {
  it('creates a webhook and shows its signing secret once', async () => {
    const { call, calls } = fakeCall({
      [`GET ${BASE}`]: () => ({ data: [], next_cursor: null }),
      [`POST ${BASE}`]: () => ({ ...hook, secret: 'whsec_abc' }),
    });
    renderWithApi(<WebhooksTab tenant={TENANT} />, { cp: call });
    await screen.findByText('No webhooks yet');
    fireEvent.change(screen.getByLabelText('Endpoint URL'), { target: { value: hook.url } });
    fireEvent.change(screen.getByLabelText('Events'), {
      target: { value: 'user.created, user.deleted' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Create webhook' }));
    const secret = await screen.findByRole<HTMLInputElement>('textbox', {
      name: `Signing secret of ${hook.url}`,
    });
    expect(secret.value).toBe('whsec_abc');
    expect(calls).toContainEqual({
      method: 'POST',
      path: BASE,
      body: {
        url: hook.url,
        event_types: ['user.created', 'user.deleted'],
        enabled: true,
        description: null,
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByDisplayValue('whsec_abc')).toBeNull();
  });

  it('edits a webhook with its values filled in, and deletes after confirmation', async () => {
    const { call, calls } = fakeCall({
      [`GET ${BASE}`]: () => ({ data: [hook], next_cursor: null }),
      [`PATCH ${BASE}/wh-1`]: (options) => ({ ...hook, ...(options.body as object) }),
      [`DELETE ${BASE}/wh-1`]: () => undefined,
    });
    renderWithApi(<WebhooksTab tenant={TENANT} />, { cp: call });
    const table = await screen.findByRole('table', { name: 'Webhooks' });
    fireEvent.click(within(table).getByRole('button', { name: `Edit ${hook.url}` }));
    const form = screen.getByRole('form', { name: `Edit webhook ${hook.url}` });
    expect(within(form).getByLabelText<HTMLInputElement>('Events').value).toBe('user.*');
    fireEvent.click(within(form).getByLabelText('Enabled'));
    fireEvent.click(within(form).getByRole('button', { name: 'Save webhook' }));
    await screen.findByText(`Webhook ${hook.url} saved.`);
    expect(calls).toContainEqual({
      method: 'PATCH',
      path: `${BASE}/wh-1`,
      body: { url: hook.url, event_types: ['user.*'], enabled: false, description: null },
    });
    expect(screen.queryByRole('form', { name: `Edit webhook ${hook.url}` })).toBeNull();

    fireEvent.click(within(table).getByRole('button', { name: `Delete ${hook.url}` }));
    const dialog = screen.getByRole('alertdialog', { name: `Delete webhook ${hook.url}?` });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete webhook' }));
    await waitFor(() => {
      expect(calls).toContainEqual({ method: 'DELETE', path: `${BASE}/wh-1`, body: undefined });
    });
  });

  it('rotates the signing secret with an overlap and shows the new one once', async () => {
    const { call, calls } = fakeCall({
      [`GET ${BASE}`]: () => ({ data: [hook], next_cursor: null }),
      [`POST ${BASE}/wh-1/secret/rotate`]: () => ({
        ...hook,
        secret: 'whsec_new',
        previous_secret_expires_at: '2026-12-02T00:00:00Z',
      }),
    });
    renderWithApi(<WebhooksTab tenant={TENANT} />, { cp: call });
    const table = await screen.findByRole('table', { name: 'Webhooks' });
    fireEvent.click(within(table).getByRole('button', { name: `Rotate secret of ${hook.url}` }));
    const dialog = screen.getByRole('alertdialog', {
      name: `Rotate the signing secret of ${hook.url}?`,
    });
    fireEvent.change(within(dialog).getByLabelText('Old secret keeps signing for'), {
      target: { value: '7 days' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rotate secret' }));
    const secret = await screen.findByRole<HTMLInputElement>('textbox', {
      name: `Signing secret of ${hook.url}`,
    });
    expect(secret.value).toBe('whsec_new');
    expect(calls).toContainEqual({
      method: 'POST',
      path: `${BASE}/wh-1/secret/rotate`,
      body: { overlap_seconds: 604_800 },
    });
    expect(
      screen.getByText(
        `The previous secret keeps signing beside it until ${new Date('2026-12-02T00:00:00Z').toLocaleString()}.`,
      ),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByDisplayValue('whsec_new')).toBeNull();
  });

  it('pages through deliveries and retries one', async () => {
    const delivery = (n: number, status: string) => ({
      id: `d-${String(n)}`,
      event_id: `e-${String(n)}`,
      event_type: `user.event${String(n)}`,
      status,
      attempts: n,
      response_status: status === 'failed' ? 500 : 204,
      duration_ms: 40 + n,
      error: null,
      created_at: '2026-12-01T00:00:00Z',
      last_attempt_at: '2026-12-01T00:01:00Z',
      next_attempt_at: null,
    });
    const { call, calls } = fakeCall({
      [`GET ${BASE}`]: () => ({ data: [hook], next_cursor: null }),
      [`GET ${BASE}/wh-1/deliveries`]: (options) =>
        (options.query as { cursor: string }).cursor === 'c2'
          ? { data: [delivery(3, 'delivered')], next_cursor: null }
          : { data: [delivery(1, 'failed')], next_cursor: 'c2' },
      [`POST ${BASE}/wh-1/deliveries/d-1/retry`]: () => ({ ...delivery(1, 'pending') }),
    });
    renderWithApi(<WebhooksTab tenant={TENANT} />, { cp: call });
    const table = await screen.findByRole('table', { name: 'Webhooks' });
    fireEvent.click(within(table).getByRole('button', { name: `Show deliveries of ${hook.url}` }));
    const deliveries = await screen.findByRole('table', { name: `Deliveries to ${hook.url}` });
    const row = within(deliveries).getByRole('row', { name: /user\.event1/ });
    expect(within(row).getByText('failed')).toBeTruthy();
    expect(within(row).getByText('500')).toBeTruthy();
    expect(within(row).getByText('41 ms')).toBeTruthy();

    fireEvent.click(within(row).getByRole('button', { name: 'Retry delivery d-1' }));
    await screen.findByText('Delivery of user.event1 queued again.');
    expect(calls).toContainEqual({
      method: 'POST',
      path: `${BASE}/wh-1/deliveries/d-1/retry`,
      body: {},
    });

    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('user.event3');
    expect(screen.getByText('43 ms')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    await screen.findByText('user.event1');
  });
});
