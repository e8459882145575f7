import { AppError } from '@hellojohn/http';
import { checkPassword } from './check-password';
import { commonPasswords } from './common-passwords';

const policy = { passwordMinLength: 12, passwordMaxLength: 20, rejectCommonPasswords: true };

/** `code:path` of the 422, or undefined when the password passes. */
function verdict(password: string, rules = policy, field = 'body.password'): string | undefined {
  try {
    checkPassword(rules, password, field);
    return undefined;
  } catch (error) {
    return error instanceof AppError ? `${error.code}:${error.errors?.[0]?.path ?? ''}` : 'other';
  }
}

describe('checkPassword', () => {
  it('loads thousands of common passwords once', () => {
    expect(commonPasswords().size).toBeGreaterThan(10_000);
    expect(commonPasswords()).toBe(commonPasswords());
    expect(commonPasswords().has('password1234')).toBe(true);
  });

  it('accepts a long uncommon password', () => {
    expect(verdict('violet kettle drum')).toBeUndefined();
  });

  it('counts code points, not UTF-16 units, against the length range', () => {
    expect(verdict('😀'.repeat(12))).toBeUndefined();
    expect(verdict('😀'.repeat(11))).toBe('weak_password:body.password');
    expect(verdict('x'.repeat(21), policy, 'body.new_password')).toBe(
      'weak_password:body.new_password',
    );
  });

  it('rejects common passwords whatever their case or compatibility form', () => {
    for (const candidate of ['Password1234', 'QWERTY123456', 'ｉｌｏｖｅｙｏｕ２０２４']) {
      expect(verdict(candidate)).toBe('weak_password:body.password');
    }
    expect(verdict('Password1234', { ...policy, rejectCommonPasswords: false })).toBeUndefined();
  });
});
