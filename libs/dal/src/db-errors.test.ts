import { ConflictError, NotFoundError, isUniqueViolation, mapDbError } from './db-errors';

describe('db errors', () => {
  it.each([
    { code: '23505' },
    { code: 'ER_DUP_ENTRY', errno: 1062 },
    { code: 'SQLITE_CONSTRAINT_UNIQUE' },
    { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' },
  ])('maps unique violations %o to ConflictError', (err) => {
    expect(isUniqueViolation(err)).toBe(true);
    const mapped = mapDbError(err);
    expect(mapped).toBeInstanceOf(ConflictError);
    expect(mapped.cause).toBe(err);
  });

  it.each([{ code: '23503' }, { errno: 1452 }, { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }])(
    'maps foreign-key violations %o to NotFoundError',
    (err) => {
      expect(mapDbError(err)).toBeInstanceOf(NotFoundError);
    },
  );

  it('passes other errors through', () => {
    const err = new Error('x');
    expect(mapDbError(err)).toBe(err);
    expect(isUniqueViolation(null)).toBe(false);
    expect(mapDbError('text')).toBeInstanceOf(Error);
  });
});
