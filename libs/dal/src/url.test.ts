import { parseDatabaseUrl, redactDatabaseUrl, withDatabase } from './url';

describe('parseDatabaseUrl', () => {
  it.each([
    ['postgres://hj:pw@db:5432/hj', 'pg', 'hj'],
    ['postgresql://db/app', 'pg', 'app'],
    ['mysql://root@127.0.0.1:3306/mysql', 'mysql', 'mysql'],
  ])('reads %s', (url, driver, database) => {
    expect(parseDatabaseUrl(url)).toEqual({ driver, url, database });
  });

  it.each([
    ['sqlite:./data/control-plane.db', './data/control-plane.db'],
    ['sqlite:data/x.db', 'data/x.db'],
    ['sqlite:/var/lib/hj/x.db', '/var/lib/hj/x.db'],
    ['sqlite:///var/lib/hj/x.db', '/var/lib/hj/x.db'],
    ['sqlite::memory:', ':memory:'],
  ])('reads %s', (url, filename) => {
    expect(parseDatabaseUrl(url)).toEqual({ driver: 'sqlite', url, filename });
  });

  it.each([
    'redis://localhost',
    'sqlite:',
    'sqlite://relative',
    'postgres://user:hunter2@db:5432/',
    'mysql://user:hunter2@db/a/b',
    'not a url',
  ])('rejects %s without leaking the password', (url) => {
    expect(() => parseDatabaseUrl(url)).toThrow(Error);
    try {
      parseDatabaseUrl(url);
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
});

describe('redactDatabaseUrl', () => {
  it('masks the password only', () => {
    expect(redactDatabaseUrl('postgres://hj:s3cret@db:5432/hj')).toBe(
      'postgres://hj:***@db:5432/hj',
    );
    expect(redactDatabaseUrl('mysql://root@db/mysql')).toBe('mysql://root@db/mysql');
    expect(redactDatabaseUrl('sqlite:./x.db')).toBe('sqlite:./x.db');
  });
});

describe('withDatabase', () => {
  it('replaces the database and keeps credentials and options', () => {
    expect(withDatabase('postgres://u:p@db:5432/postgres?sslmode=require', 'hj_t_ab')).toBe(
      'postgres://u:p@db:5432/hj_t_ab?sslmode=require',
    );
  });
});
