import { fireEvent, screen, waitFor } from '@testing-library/react';
import { App } from '../app';
import { fakeCall, renderWithApi, scriptedSession, TOKENS } from '../test/fake-api';
import { takeInvitationToken } from './accept-invitation-page';

describe('takeInvitationToken', () => {
  it('reads the token of an invitation link and removes it from the address bar', () => {
    window.history.replaceState(null, '', '/console/#/accept-invitation?token=tok-123');
    expect(takeInvitationToken()).toBe('tok-123');
    expect(window.location.href).not.toContain('tok-123');
    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/console/');
  });

  it('leaves any other URL alone', () => {
    window.history.replaceState(null, '', '/console/admins#main');
    expect(takeInvitationToken()).toBeUndefined();
    expect(window.location.hash).toBe('#main');
  });
});

describe('AcceptInvitationPage', () => {
  beforeEach(() => {
    window.history.replaceState(null, '', '/console/');
  });

  it('sets the password, signs in with the answer and shows the console', async () => {
    const { session, requests } = scriptedSession({
      '/v1/auth/invitations/accept': [200, TOKENS],
    });
    const { call } = fakeCall({ 'GET /v1/tenants': () => ({ data: [], next_cursor: null }) });
    renderWithApi(<App invitation="tok-123" />, { session, cp: call });

    expect(screen.getByRole('heading', { name: 'Accept your invitation' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'a-long-pass' } });
    fireEvent.change(screen.getByLabelText('Repeat the password'), {
      target: { value: 'a-long-pasS' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    expect(screen.getByText('The two passwords differ.')).toBeTruthy();
    expect(requests).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Repeat the password'), {
      target: { value: 'a-long-pass' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    await waitFor(() => {
      expect(session.state().signedIn).toBe(true);
    });
    expect(requests).toEqual([
      {
        url: 'http://cp.test/v1/auth/invitations/accept',
        body: { token: 'tok-123', password: 'a-long-pass' },
      },
    ]);
    expect(await screen.findByRole('navigation', { name: 'Main' })).toBeTruthy();
  });

  it('says what to do when the link is spent or expired', async () => {
    const { session } = scriptedSession({
      '/v1/auth/invitations/accept': [
        404,
        { title: 'The invitation is invalid', status: 404, code: 'invalid_invitation' },
      ],
    });
    renderWithApi(<App invitation="old" />, { session });
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'pw-123456' } });
    fireEvent.change(screen.getByLabelText('Repeat the password'), {
      target: { value: 'pw-123456' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    expect(await screen.findByText(/send you a new invitation/)).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('The invitation is invalid');
    expect(
      screen.getByRole<HTMLButtonElement>('button', { name: 'Set password and sign in' }).disabled,
    ).toBe(true);
    expect(session.state().signedIn).toBe(false);
  });
});
