import { signInMethodOf } from './sign-in-method';

describe('signInMethodOf', () => {
  it.each([
    [['pwd'], 'password'],
    [['pwd', 'otp', 'mfa'], 'password+mfa'],
    [['hwk', 'user', 'mfa'], 'passkey'],
    [['otp'], 'one_time_code'],
    [['fed'], 'fed'],
    [[], 'unknown'],
    [undefined, 'unknown'],
  ])('%j is %s', (amr, method) => {
    expect(signInMethodOf(amr)).toBe(method);
  });
});
