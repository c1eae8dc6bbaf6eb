// ESLint for the library sources and their tests (packages/*/src, packages/*/test, tooling/test).
// Rules are the recommended sets of ESLint and typescript-eslint (syntax only: no type-aware rules,
// so linting needs no build and no project service) plus a few that the existing style already
// follows. Layering lives in dependency-cruiser.cjs beside this file, not here. Run from the
// repository root with `--config tooling/eslint.config.js` (`pnpm lint`): patterns are relative to
// the root.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig([
  {
    files: ['packages/*/src/**/*.ts', 'packages/*/test/**/*.ts', 'tooling/test/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
]);
