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
  testMatch: ['**/test/cluster/**/*.cluster.ts', '**/test/e2e/console*.test.ts', '**/test/integration/reminders.test.ts'],
  setupFiles: ['<rootDir>/test/cluster/setup-env.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  testTimeout: 60000,
  maxWorkers: 2,
};
