import { bundleBudget, gzippedSize } from './bundle-budget';

describe('bundle budget', () => {
  const files = [
    { fileName: 'assets/index-1.js', type: 'chunk' as const, code: 'x'.repeat(10_000) },
    { fileName: 'assets/index-1.css', type: 'asset' as const, source: 'a{}' },
    { fileName: 'favicon.svg', type: 'asset' as const, source: '<svg/>'.repeat(1000) },
  ];

  it('counts gzipped scripts and stylesheets only', () => {
    const size = gzippedSize(files);
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThan(200);
  });

  it('fails the build above the budget', () => {
    const plugin = bundleBudget(10);
    const errors: string[] = [];
    const context = {
      error: (message: string) => errors.push(message),
      info: () => undefined,
    };
    const bundle = Object.fromEntries(files.map((file) => [file.fileName, file]));
    (plugin.generateBundle as (this: unknown, o: unknown, b: unknown) => void).call(
      context,
      {},
      bundle,
    );
    expect(errors).toEqual([expect.stringContaining('over budget')]);
  });
});
