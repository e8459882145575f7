// `npm run test:services`: suites that talk to the real PostgreSQL, MariaDB, Redis and RabbitMQ.
const preset = require('./jest.preset.js');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  rootDir: __dirname,
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/e2e'],
  testMatch: ['**/*.services.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 120000,
};
