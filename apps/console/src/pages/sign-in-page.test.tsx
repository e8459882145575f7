import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithApi, scriptedSession, TOKENS } from '../test/fake-api';
import { SignInPage } from './sign-in-page';

const CHALLENGE = {
  mfa_required: true,
  mfa_token: 'mfa-tok',
  factors: ['totp', 'recovery_code'],
  expires_in: 300,
};

function signIn(): void {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ops@example.com' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('SignInPage, second step', () => {
  it('asks for a one-time code after the password and signs in with it', async () => {
    const { session, requests } = scriptedSession({
      '/v1/auth/sign-in': [200, CHALLENGE],
      '/v1/auth/mfa/verify': [200, TOKENS],
    });
    renderWithApi(<SignInPage expired={false} />, { session });
    signIn();

    const code = await screen.findByLabelText('Authentication code');
    expect(session.state().signedIn).toBe(false);
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(screen.getByText(/or one of your recovery codes/)).toBeTruthy();
    expect(screen.queryByLabelText('Password')).toBeNull();

    fireEvent.change(code, { target: { value: ' 123456 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() => {
      expect(session.state().signedIn).toBe(true);
    });
    expect(requests[1]).toEqual({
      url: 'http://cp.test/v1/auth/mfa/verify',
      body: { mfa_token: 'mfa-tok', code: '123456' },
    });
  });

  it('shows a wrong code and offers a new sign-in once the challenge is spent', async () => {
    const { session } = scriptedSession({
      '/v1/auth/sign-in': [200, CHALLENGE],
      '/v1/auth/mfa/verify': [
        401,
        { title: 'The MFA token is invalid', status: 401, code: 'mfa_token_invalid' },
      ],
    });
    renderWithApi(<SignInPage expired={false} />, { session });
    signIn();
    fireEvent.change(await screen.findByLabelText('Authentication code'), {
      target: { value: '000000' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The MFA token is invalid');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(screen.getByLabelText('Password')).toBeTruthy();
    expect(session.state().signedIn).toBe(false);
  });

  it('signs in at once an admin without an authenticator', async () => {
    const { session } = scriptedSession({ '/v1/auth/sign-in': [200, TOKENS] });
    renderWithApi(<SignInPage expired={false} />, { session });
    signIn();
    await waitFor(() => {
      expect(session.state().signedIn).toBe(true);
    });
    expect(screen.queryByLabelText('Authentication code')).toBeNull();
  });
});
