// Flat ESLint config: module boundaries (Nx), type-aware TypeScript rules, Prettier last.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/data/**',
      '.nx/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...tseslint.configs.strictTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        project: [
          './libs/*/tsconfig.spec.json',
          './apps/*/tsconfig.spec.json',
          './e2e/tsconfig.spec.json',
          './deploy/tsconfig.spec.json',
          './tsconfig.tools.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: true,
          depConstraints: [
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:cli', onlyDependOnLibsWithTags: ['type:lib'] },
            // End-to-end suites drive whole services; only they may import apps.
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: ['type:lib', 'type:app', 'type:cli'],
            },
            {
              sourceTag: 'scope:shared',
              onlyDependOnLibsWithTags: ['scope:shared'],
            },
            {
              sourceTag: 'scope:control-plane',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:control-plane'],
            },
            {
              sourceTag: 'scope:data-plane',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:data-plane'],
            },
          ],
        },
      ],
      // Endpoint handlers and checks are async by contract even when a body has nothing to await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(fs|path|crypto|http|https|net|os|url|util|events|stream|child_process|timers|assert|zlib|dns|tls|readline|worker_threads|buffer|perf_hooks|async_hooks)(/.*)?$',
              message: 'Use the node: protocol.',
            },
            { regex: '^@hellojohn/[^/]+/.+', message: 'Import a lib through its index only.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through @hellojohn/config.',
        },
      ],
    },
  },
  {
    files: [
      'libs/config/src/**/*.ts',
      '**/src/main.ts',
      '**/*.test.ts',
      '**/test/**/*.ts',
      'scripts/**/*.ts',
      'bench/**/*.ts',
      'apps/hjctl/src/**/*.ts',
      'examples/**/*.ts',
      'e2e/**/*.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    files: ['libs/tokens/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['knex', 'express', 'amqplib'].map((name) => ({
            name,
            message: 'tokens stays free of DB, HTTP and broker code.',
          })),
        },
      ],
    },
  },
  {
    files: ['libs/sdk/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['knex', 'amqplib'].map((name) => ({
            name,
            message: 'sdk never talks to a DB or broker.',
          })),
        },
      ],
    },
  },
  {
    files: ['libs/dal/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['express', 'amqplib'].map((name) => ({ name, message: 'dal holds SQL only.' })) },
      ],
    },
  },
  {
    files: ['libs/events/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['knex'].map((name) => ({
            name,
            message: 'events reaches the outbox through OutboxStore.',
          })),
        },
      ],
    },
  },
  prettier,
);
