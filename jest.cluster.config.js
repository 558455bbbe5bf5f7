/**
 * The cluster suite (issue 16 item 1): `npm run test:cluster`, with a 3-master Redis Cluster running
 * (test/helpers/redis-cluster.sh start; `.ci/run` starts it). test/cluster/setup-env.ts sets REDIS_CLUSTER_NODES
 * (default 127.0.0.1:7001–7003), so the bots test/helpers/harness.ts builds run on the cluster. Which files run,
 * and why: README「Redis Cluster」.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // The bot on the cluster (test/cluster), the console in Chromium, reminder delivery, and the folders whose tests
  // drive whole bots through the console, the webhooks and the admin API: every script, MULTI, pipeline and queue of
  // the store runs there. Left out: unit and pure-domain folders (no Redis), process start-up on REDIS_URL
  // (e2e/process, first-run), platform adapters and repositories tested on a raw standalone connection
  // (test/platforms, integration/store*, the files ignored below), a timing test counting one Redis's commands
  // (points-speed), and the load tests (jest.load.config.js).
  testMatch: [
    '**/test/cluster/**/*.cluster.ts',
    '**/test/e2e/console*.test.ts',
    '**/test/integration/{reminders,bulk-create,bulk-create-stages,metrics,duty-audience}.test.ts',
    '**/test/{follow-through,handlers,rating,signin,minutes,circular,materials,points,stats,units,feishu,dingtalk,security,admin}/**/*.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '\\.load\\.test\\.ts$', 'points/points-speed', 'units/unit-repo', 'stats/config-and-key', 'dingtalk/client\\.test'],
  setupFiles: ['<rootDir>/test/cluster/setup-env.ts'],
  // As jest.config.js: archiver 8 and the packages it needs are ES modules only, compiled to CommonJS for the tests.
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    '/node_modules/(archiver|zip-stream|compress-commons|crc32-stream)/.+\\.js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['^(?!.*/node_modules/(archiver|zip-stream|compress-commons|crc32-stream)/).*/node_modules/'],
  testTimeout: 60000,
  maxWorkers: 2,
};
