import { AppError } from '@hellojohn/http';
import type { TenantPolicy } from '../tenancy/tenant-config';
import { commonPasswords } from './common-passwords';

type PasswordRules = Pick<
  TenantPolicy,
  'passwordMinLength' | 'passwordMaxLength' | 'rejectCommonPasswords'
>;

function weak(detail: string, message: string, field: string): AppError {
  return new AppError('weak_password', detail, { errors: [{ path: field, message }] });
}

/**
 * The tenant's password policy: a length range in Unicode code points and, unless switched off,
 * no password from the bundled common list. No composition rules (NIST SP 800-63B §5.1.1.2:
 * they add little strength and push users to predictable patterns).
 *
 * @param field the request field named in the 422, e.g. `body.password`.
 */
export function checkPassword(policy: PasswordRules, password: string, field: string): void {
  const { passwordMinLength: min, passwordMaxLength: max } = policy;
  const length = Array.from(password).length;
  if (length < min || length > max) {
    throw weak(
      `The password must be ${min} to ${max} characters long.`,
      `must be ${min}-${max} characters`,
      field,
    );
  }
  if (
    policy.rejectCommonPasswords &&
    commonPasswords().has(password.normalize('NFKC').toLowerCase())
  ) {
    throw weak(
      'This password is too common; choose another.',
      'is a commonly used password',
      field,
    );
  }
}
