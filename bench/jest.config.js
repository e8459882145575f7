// The benches' pure helpers (the soak verdict); the benches themselves run with `npm run`.
/** @type {import('jest').Config} */
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'bench',
  rootDir: __dirname,
};
