// `npm test`: every project's unit and SQLite-backed integration tests. No external service needed.
/** @type {import('jest').Config} */
module.exports = {
  projects: [
    '<rootDir>/libs/*/jest.config.js',
    '<rootDir>/apps/*/jest.config.js',
    '<rootDir>/e2e/jest.config.js',
    '<rootDir>/examples/*/jest.config.js',
    '<rootDir>/deploy/jest.config.js',
    '<rootDir>/bench/jest.config.js',
  ],
};
