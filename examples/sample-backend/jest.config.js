/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'example-sample-backend',
  rootDir: __dirname,
};
