// ESLint flat config (run with `eslint -c .config/eslint.config.mjs .`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'native/build/**', 'dist/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['src-main/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'core runs in plain Node: never import electron' }] }],
    },
  },
  {
    files: ['src-main/**/*.ts', 'src-preload/**/*.ts'],
    ignores: ['src-main/electron/**', 'src-preload/electron-preload.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: "only src-main/electron and the preload may import 'electron'" }] }],
    },
  },
  {
    files: ['src-renderer/**/*.tsx', 'src-renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // sample dapps: plain browser scripts, run in the dapp sandbox
    files: ['resources/dapps/**/*.js', 'resources/dapp-runtime/**/*.js', 'e2e/fixtures/dapps/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'navigator', 'localStorage', 'Event', 'CustomEvent', 'MessageChannel', 'TextEncoder', 'TextDecoder', 'fetch', 'WebSocket', 'Image', 'URL', 'crypto', 'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask']
          .map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    files: ['**/*.mjs', 'src-main/bin/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
);
