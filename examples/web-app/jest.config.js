/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'example-web-app',
  rootDir: __dirname,
};
