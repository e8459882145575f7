// The root config, plus type-aware rules for the console's TSX (the root config types .ts only; .mts is vite.config.mts).
import root from '../../eslint.config.mjs';

export default [
  ...root,
  {
    files: ['**/*.tsx', '**/*.mts'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.spec.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ['**/*.test.tsx'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // `await act(async () => { fireEvent... })` flushes React's updates; no await inside is fine.
      '@typescript-eslint/require-await': 'off',
    },
  },
];
