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
  {
    // Issue 13: a failure's close code is decided by the one error taxonomy (@keel/session's
    // error-taxonomy.ts), never at a throw site. ProtocolError takes it from the table;
    // keelErrorFor() makes the other failures; errors.ts is where both are defined.
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/protocol/errors.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='KeelError']",
          message: 'Use keelErrorFor(code, message, options) or a KeelError subclass: the close code comes from the error taxonomy.',
        },
      ],
    },
  },
]);
