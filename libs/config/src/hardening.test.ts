import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

/**
 * `HJ_TRUST_PROXY` and `HJ_METRICS_TOKEN`, added after the black-box probe.
 *
 * @see issue 15
 */
describe('loadConfig: trusted proxies and the metrics token', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hj-config-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const load = (env: Record<string, string>) => loadConfig({ HJ_DATA_DIR: dir, ...env });

  function issuesOf(env: Record<string, string>): string[] {
    try {
      load(env);
    } catch (error) {
      if (error instanceof ConfigError)
        return error.issues.map((i) => `${i.variable}: ${i.message}`);
      throw error;
    }
    return [];
  }

  it('trusts only loopback proxies by default', () => {
    expect(load({}).trustProxy).toEqual(['loopback']);
    expect(load({ NODE_ENV: 'test' }).trustProxy).toEqual(['loopback']);
  });

  it('reads false, a hop count, or a list of addresses, CIDRs and names', () => {
    expect(load({ HJ_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(load({ HJ_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(
      load({ HJ_TRUST_PROXY: ' loopback, 10.0.0.0/8 ,192.168.1.7, fd00::/8, ::1, uniquelocal' })
        .trustProxy,
    ).toEqual(['loopback', '10.0.0.0/8', '192.168.1.7', 'fd00::/8', '::1', 'uniquelocal']);
  });

  it('names a malformed HJ_TRUST_PROXY instead of trusting something else', () => {
    for (const value of ['true', 'yes', '10.0.0.0/33', '300.1.1.1', 'loopback,,', '-1', '1.5']) {
      expect(issuesOf({ HJ_TRUST_PROXY: value })).toEqual([
        expect.stringMatching(/^HJ_TRUST_PROXY: /),
      ]);
    }
  });

  it('leaves /metrics open unless HJ_METRICS_TOKEN is set, and wants a long token', () => {
    expect(load({}).metricsToken).toBeUndefined();
    const token = 'm'.repeat(32);
    expect(load({ HJ_METRICS_TOKEN: token }).metricsToken).toBe(token);
    expect(issuesOf({ HJ_METRICS_TOKEN: 'short' })).toEqual([
      expect.stringMatching(/^HJ_METRICS_TOKEN: /),
    ]);
    expect(issuesOf({ HJ_METRICS_TOKEN: `${'m'.repeat(32)} spaces` })).toEqual([
      expect.stringMatching(/^HJ_METRICS_TOKEN: /),
    ]);
  });
});
