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
  // The bot on the cluster (test/cluster), the console in Chromium, reminder delivery and planning, and the folders
  // whose tests drive whole bots through the console and the webhooks: every script, MULTI and queue of the store
  // runs there. Left out: unit and pure-domain folders (no Redis), tests of one repository on a raw standalone
  // connection (test/integration/store*, test/units/unit-repo…), process start-up on REDIS_URL (e2e/process,
  // first-run), and the rest of the suite, which adds no other Redis path (CI time: ≤ 10 min).
  testMatch: [
    '**/test/cluster/**/*.cluster.ts',
    '**/test/e2e/console*.test.ts',
    '**/test/integration/{reminders,bulk-create,metrics}.test.ts',
    '**/test/{follow-through,handlers,rating,signin,minutes,circular}/**/*.test.ts',
  ],
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
