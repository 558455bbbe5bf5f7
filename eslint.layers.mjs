/**
 * The layer rules of docs/architecture.md, enforced by `@typescript-eslint/no-restricted-imports`
 * (https://typescript-eslint.io/rules/no-restricted-imports/, which adds `allowTypeImports` to ESLint's
 * https://eslint.org/docs/latest/rules/no-restricted-imports): a change that breaks one fails `npm run lint`.
 */
const IO_MODULES = [
  'ioredis',
  'bullmq',
  'express',
  'pino',
  'exceljs',
  '@larksuiteoapi/node-sdk',
  'dingtalk-stream',
  'node-cron',
  'playwright-core',
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
  'child_process',
  'node:child_process',
];

/** `**\/<layer>/**` matches an import of any file in the layer, from anywhere. */
const layer = (name, message, allowTypeImports = false) => ({ group: [`**/${name}/**`, `**/${name}`], message, allowTypeImports });

const restrict = (patterns, paths = []) => ({
  'no-restricted-imports': 'off',
  '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }],
});

export const layerRules = [
  {
    // Pure rules: no I/O, nothing from the layers above.
    files: ['src/domain/**/*.ts', 'src/time/**/*.ts'],
    rules: restrict(
      [
        ...['store', 'queue', 'platforms', 'http', 'app', 'cli', 'handlers'].map((l) =>
          layer(l, `src/domain and src/time are pure: they import nothing from ${l} (docs/architecture.md)`),
        ),
        { group: ['**/logger', '**/config', '**/config/**', '**/bot', '**/metrics'], message: 'src/domain and src/time are pure: no logger, config, metrics or composition root (docs/architecture.md)' },
      ],
      IO_MODULES.map((name) => ({ name, message: 'src/domain and src/time do no I/O (docs/architecture.md)' })),
    ),
  },
  {
    // Adapters verify, decode and send: no business records, no use cases, no handlers, no queues.
    files: ['src/platforms/**/*.ts'],
    rules: restrict(
      ['store', 'handlers', 'app', 'queue', 'http'].map((l) =>
        layer(l, `an adapter (src/platforms) never imports ${l}: the composition root hands it what it needs (src/platforms/module.ts, docs/architecture.md)`),
      ),
    ),
  },
  {
    // Handlers parse, call a service and reply.
    files: ['handlers/**/*.ts'],
    rules: restrict(['store', 'queue', 'platforms', 'http'].map((l) => layer(l, `a handler never imports ${l}: it calls a use case of src/app (docs/architecture.md)`))),
  },
  {
    // The system of record knows the domain; it implements the state interfaces adapters declare (types only).
    files: ['src/store/**/*.ts'],
    rules: restrict([
      ...['app', 'handlers', 'http', 'queue'].map((l) => layer(l, `src/store never imports ${l} (docs/architecture.md)`)),
      layer('platforms', 'src/store implements the interfaces adapters declare: it imports their types only (docs/architecture.md)', true),
    ]),
  },
  {
    // Use cases and the dispatcher use the neutral port, never an adapter; they never serve HTTP.
    files: ['src/app/**/*.ts'],
    rules: restrict([
      layer('http', 'src/app never imports http (docs/architecture.md)'),
      layer('handlers', 'src/app never imports handlers: the composition root gives the registry to the dispatcher (docs/architecture.md)'),
      {
        group: ['**/platforms/feishu/**', '**/platforms/dingtalk/**', '**/platforms/sandbox/**', '**/platforms/feishu', '**/platforms/dingtalk', '**/platforms/sandbox'],
        message: 'src/app uses the neutral port (src/platforms/port.ts), never an adapter (docs/architecture.md)',
      },
    ]),
  },
  {
    // Queues carry work between services and platforms; they never reach an adapter, a handler or HTTP.
    files: ['src/queue/**/*.ts'],
    rules: restrict([
      layer('http', 'src/queue never imports http (docs/architecture.md)'),
      layer('handlers', 'src/queue never imports handlers (docs/architecture.md)'),
      {
        group: ['**/platforms/feishu/**', '**/platforms/dingtalk/**', '**/platforms/sandbox/**', '**/platforms/feishu', '**/platforms/dingtalk', '**/platforms/sandbox'],
        message: 'src/queue sends through the neutral port (src/platforms/port.ts), never an adapter (docs/architecture.md)',
      },
    ]),
  },
];
