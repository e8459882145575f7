import { fireEvent, screen, waitFor } from '@testing-library/react';
import { fakeCall, problem, renderWithApi } from '../test/fake-api';
import { AccountPage } from './account-page';

const URI = 'otpauth://totp/HelloJohn:ops%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=HelloJohn';
const CODES = Array.from({ length: 10 }, (_, i) => `rc-${String(i)}-abcd`);

describe('AccountPage', () => {
  it('enrols an authenticator: URI as copyable text, then recovery codes shown once', async () => {
    const { call, calls } = fakeCall({
      'POST /v1/auth/totp': () => ({ secret: 'JBSWY3DPEHPK3PXP', otpauth_uri: URI }),
      'POST /v1/auth/totp/confirm': (options) =>
        (options.body as { code: string }).code === '123456'
          ? { recovery_codes: CODES }
          : problem(401, 'invalid_mfa_code'),
    });
    renderWithApi(<AccountPage />, { cp: call });
    fireEvent.click(screen.getByRole('button', { name: 'Set up an authenticator' }));

    const uri = await screen.findByLabelText<HTMLInputElement>('Setup link (otpauth URI)');
    expect(uri.value).toBe(URI);
    expect(uri.readOnly).toBe(true);
    expect(screen.getByRole('button', { name: 'Copy Setup link (otpauth URI)' })).toBeTruthy();
    // The QR code: SVG elements (no data URL for the CSP), the finder pattern's corner dark.
    const qr = screen.getByRole('img', { name: 'QR code of the setup link' });
    const modules = Number(qr.getAttribute('viewBox')?.split(' ')[2]) - 8;
    expect(modules).toBeGreaterThanOrEqual(21);
    expect((modules - 21) % 4).toBe(0);
    expect(qr.querySelector('path')?.getAttribute('d')).toMatch(/^M4 4h1v1h-1z/);
    const code = screen.getByLabelText('Code from the app');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');

    fireEvent.change(code, { target: { value: '000000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect((await screen.findByRole('alert')).textContent).toContain('invalid mfa code');

    fireEvent.change(screen.getByLabelText('Code from the app'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    const list = await screen.findByRole('list', { name: 'Recovery codes' });
    expect(list.textContent).toContain('rc-9-abcd');
    expect(screen.queryByDisplayValue(URI)).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('rc-0-abcd')).toBeNull();
    expect(screen.getByRole('button', { name: 'Set up an authenticator' })).toBeTruthy();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /v1/auth/totp',
      'POST /v1/auth/totp/confirm',
      'POST /v1/auth/totp/confirm',
    ]);
  });

  it('removes the authenticator with a current code', async () => {
    const { call, calls } = fakeCall({ 'DELETE /v1/auth/totp': () => undefined });
    renderWithApi(<AccountPage />, { cp: call });
    fireEvent.change(screen.getByLabelText('Current code or a recovery code'), {
      target: { value: '654321' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Remove authenticator' }));
    expect(await screen.findByText(/The authenticator is removed/)).toBeTruthy();
    await waitFor(() => {
      expect(calls).toEqual([
        { method: 'DELETE', path: '/v1/auth/totp', body: { code: '654321' } },
      ]);
    });
  });
});
