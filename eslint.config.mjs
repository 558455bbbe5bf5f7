import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layerRules } from './eslint.layers.mjs';

/** The browser globals the sandbox console's page script uses (src/platforms/sandbox/public/app.js). */
const browserGlobals = Object.fromEntries(
  ['window', 'document', 'fetch', 'EventSource', 'setTimeout', 'clearTimeout', 'HTMLElement', 'HTMLInputElement'].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['*.js', '*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
    // The jest configs are CommonJS (jest.sentinel.config.js builds on jest.cluster.config.js).
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // The console's page script: plain browser JavaScript (no modules, no build), type-checked by tsconfig.browser.json.
    files: ['src/platforms/sandbox/public/**/*.js'],
    languageOptions: { sourceType: 'script', ecmaVersion: 2022, globals: browserGlobals },
    rules: { 'no-console': 'error' },
  },
  // The layer rules (docs/architecture.md).
  ...layerRules,
);
