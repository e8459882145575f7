// Shared Jest settings: @swc/jest compiles TypeScript (about 3x faster than ts-jest), and the
// `@hellojohn/source` export condition makes workspace libs resolve to their TypeScript sources.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  // jose 6 and openid-client 6 (with its oauth4webapi) ship ESM only; compile them to CommonJS
  // like our own sources.
  transformIgnorePatterns: ['/node_modules/(?!(jose|openid-client|oauth4webapi)/)'],
  testEnvironmentOptions: {
    customExportConditions: ['@hellojohn/source', 'node', 'require', 'default'],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.services\\.test\\.ts$'],
  // A hang guard, not a speed goal: hooks that migrate a database and hash passwords take seconds
  // on a busy 2-CPU runner, past Jest's 5 s default.
  testTimeout: 30_000,
};
