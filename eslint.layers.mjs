/**
 * The layer rules of docs/architecture.md, enforced by `no-restricted-imports`
 * (https://eslint.org/docs/latest/rules/no-restricted-imports): a change that breaks one fails `npm run lint`.
 */
const IO_PACKAGES = ['ioredis', 'bullmq', 'express', 'pino', 'exceljs', '@larksuiteoapi/node-sdk', 'dingtalk-stream', 'node-cron', 'playwright-core'];
const IO_BUILTINS = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'child_process', 'node:child_process'];

const layer = (from, message) => ({ group: [`**/${from}/**`, `**/${from}`], message });

const rules = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { paths: paths.map((name) => ({ name, message: 'no I/O in the pure layers (domain, time)' })), patterns }],
});

export const layerRules = [
  {
    // Pure rules: no I/O, nothing from the layers above.
    files: ['src/domain/**/*.ts', 'src/time/**/*.ts'],
    rules: rules(
      [
        ...['store', 'queue', 'platforms', 'http', 'app', 'handlers', 'cli'].map((l) => layer(l, `src/domain and src/time are pure: they import no ${l} (docs/architecture.md)`)),
        { group: ['**/logger', '**/config', '**/bot'], message: 'src/domain and src/time are pure: no logger, config or composition root (docs/architecture.md)' },
      ],
      [...IO_PACKAGES, ...IO_BUILTINS],
    ),
  },
  {
    // Adapters verify, decode and send: no business records, no use cases, no handlers.
    files: ['src/platforms/**/*.ts'],
    rules: rules(['store', 'handlers', 'app', 'queue', 'http'].map((l) => layer(l, `an adapter (src/platforms) never imports ${l}: the composition root hands it what it needs (docs/architecture.md)`))),
  },
  {
    // Handlers parse, call a service and reply.
    files: ['handlers/**/*.ts'],
    rules: rules(['store', 'queue', 'platforms', 'http'].map((l) => layer(l, `a handler never imports ${l}: it calls a service from src/app (docs/architecture.md)`))),
  },
  {
    // The store is the system of record: it knows the domain, nothing above it.
    files: ['src/store/**/*.ts'],
    rules: rules(['app', 'handlers', 'platforms', 'http', 'queue'].map((l) => layer(l, `src/store never imports ${l} (docs/architecture.md)`))),
  },
  {
    // Services and the dispatcher never reach a platform's adapter, only the port.
    files: ['src/app/**/*.ts'],
    rules: rules([
      { group: ['**/platforms/feishu/**', '**/platforms/dingtalk/**', '**/platforms/sandbox/**', '**/platforms/feishu', '**/platforms/dingtalk', '**/platforms/sandbox'], message: 'src/app uses the neutral port (src/platforms/port.ts), never an adapter (docs/architecture.md)' },
      layer('http', 'src/app never imports http (docs/architecture.md)'),
      layer('handlers', 'src/app never imports handlers: the registry reaches the dispatcher through the composition root (docs/architecture.md)'),
    ]),
  },
];
