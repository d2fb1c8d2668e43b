// Lint rules for the whole project (ESLint flat config). Formatting is Prettier's job.
import js from '@eslint/js';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'sdk/dist/',
      'sdk/src/generated/',
      '.wrangler/',
      'bench/results/',
      'examples/output/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off',
      // Configuration is read in one place: the config module (and build scripts, tests, benchmarks).
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in api/config.ts.' },
      ],
    },
  },
  {
    files: ['sdk/src/client.ts'],
    // The resource namespaces are typed by merging the generated interface into the class.
    rules: {
      '@typescript-eslint/no-unsafe-declaration-merging': 'off',
      '@typescript-eslint/no-empty-object-type': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { URL: 'readonly', console: 'readonly', process: 'readonly' } },
  },
  {
    files: [
      'api/config.ts',
      'scripts/**',
      'bench/**',
      'test/**',
      'examples/**',
      'sdk/scripts/**',
      'sdk/test/**',
      'vitest.config.ts',
      'eslint.config.js',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
);
