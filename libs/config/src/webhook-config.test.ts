import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigError } from './load-config';
import { loadConfig } from './load-config';

const PRODUCTION = {
  NODE_ENV: 'production',
  HJ_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
  HJ_INTERNAL_TOKEN: 'x'.repeat(32),
};

describe('webhook configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hj-config-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('retries for at least 24 hours by default (jitter only lengthens the waits)', () => {
    const { webhookRetrySchedule } = loadConfig({ HJ_DATA_DIR: dir });
    expect(webhookRetrySchedule.reduce((sum, delay) => sum + delay, 0)).toBeGreaterThanOrEqual(
      24 * 3600,
    );
  });

  it('takes a schedule of decimal seconds', () => {
    const config = loadConfig({ HJ_DATA_DIR: dir, HJ_WEBHOOK_RETRY_SCHEDULE: '0.05, 1,30' });
    expect(config.webhookRetrySchedule).toEqual([0.05, 1, 30]);
  });

  it.each(['', '5,,30', '-1', 'soon', '5s', String(8 * 24 * 3600)])(
    'refuses the schedule %j, naming the variable',
    (value) => {
      expect(() => loadConfig({ HJ_DATA_DIR: dir, HJ_WEBHOOK_RETRY_SCHEDULE: value })).toThrow(
        expect.objectContaining({
          issues: [expect.objectContaining({ variable: 'HJ_WEBHOOK_RETRY_SCHEDULE' })],
        }) as ConfigError,
      );
    },
  );

  it('allows private targets outside production only, unless set', () => {
    expect(loadConfig({ HJ_DATA_DIR: dir }).webhookAllowPrivate).toBe(true);
    expect(loadConfig({ HJ_DATA_DIR: dir, ...PRODUCTION }).webhookAllowPrivate).toBe(false);
    expect(
      loadConfig({ HJ_DATA_DIR: dir, ...PRODUCTION, HJ_WEBHOOK_ALLOW_PRIVATE: 'true' })
        .webhookAllowPrivate,
    ).toBe(true);
    expect(
      loadConfig({ HJ_DATA_DIR: dir, HJ_WEBHOOK_ALLOW_PRIVATE: 'false' }).webhookAllowPrivate,
    ).toBe(false);
  });
});
