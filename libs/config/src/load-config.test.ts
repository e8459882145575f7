import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hj-config-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the embedded defaults and generates secrets once', () => {
    const config = loadConfig({ HJ_DATA_DIR: dir });
    expect(config.cpPort).toBe(8081);
    expect(config.dpPort).toBe(8080);
    expect(config.cpDatabaseUrl).toBe('sqlite:./data/control-plane.db');
    expect(config.rabbitmqUrl).toBeUndefined();
    expect(config.masterKey).toHaveLength(32);
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    const again = loadConfig({ HJ_DATA_DIR: dir });
    expect(again.masterKey.equals(config.masterKey)).toBe(true);
    expect(again.internalToken).toBe(config.internalToken);
    expect(readFileSync(join(dir, 'internal.token'), 'utf8').trim()).toBe(config.internalToken);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({
        HJ_DATA_DIR: dir,
        HJ_DP_PORT: 'abc',
        HJ_RABBITMQ_URL: 'http://x',
        HJ_TYPO: '1',
      });
      throw new Error('expected ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const variables = (error as ConfigError).issues.map((i) => i.variable).sort();
      expect(variables).toEqual(['HJ_DP_PORT', 'HJ_RABBITMQ_URL', 'HJ_TYPO']);
    }
  });

  it('refuses to start in production without secrets', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', HJ_DATA_DIR: dir })).toThrow(
      /HJ_MASTER_KEY: required in production[\s\S]*HJ_INTERNAL_TOKEN/,
    );
  });

  it('namespaces Redis keys under hj unless HJ_REDIS_KEY_PREFIX says otherwise', () => {
    expect(loadConfig({ HJ_DATA_DIR: dir }).redisKeyPrefix).toBe('hj');
    expect(
      loadConfig({ HJ_DATA_DIR: dir, HJ_REDIS_KEY_PREFIX: 'hjtest-42-ab' }).redisKeyPrefix,
    ).toBe('hjtest-42-ab');
    for (const bad of ['', 'a:b', 'x'.repeat(65), 'sp ace']) {
      expect(() => loadConfig({ HJ_DATA_DIR: dir, HJ_REDIS_KEY_PREFIX: bad })).toThrow(
        /HJ_REDIS_KEY_PREFIX/,
      );
    }
  });

  it('rejects a master key that is not 32 bytes', () => {
    expect(() =>
      loadConfig({ HJ_DATA_DIR: dir, HJ_MASTER_KEY: Buffer.alloc(16).toString('base64') }),
    ).toThrow(/HJ_MASTER_KEY: must be exactly 32 bytes/);
  });

  it('accepts explicit production secrets', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({
      NODE_ENV: 'production',
      HJ_MASTER_KEY: key,
      HJ_INTERNAL_TOKEN: 'x'.repeat(40),
      HJ_DATA_DIR: dir,
    });
    expect(config.masterKey.toString('base64')).toBe(key);
    expect(config.warnings).toEqual([]);
  });
});
