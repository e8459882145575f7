/** @type {import('jest').Config} */
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'e2e',
  rootDir: __dirname,
  testTimeout: 60000,
  // Installs Debian's Chromium for e2e/src/browser/ when missing (scripts/ensure-chromium.sh).
  globalSetup: '<rootDir>/src/support/browser/global-setup.ts',
};
