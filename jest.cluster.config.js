/**
 * The cluster suite (issue 16 item 1): `npm run test:cluster`, with a 3-master Redis Cluster running
 * (test/helpers/redis-cluster.sh start; `.ci/run` starts it). The bots the tests build run on the cluster
 * (test/helpers/harness.ts reads REDIS_CLUSTER_NODES); the files listed are those whose bots and records go through
 * the harness or the bot's own connections (see README「Redis Cluster」).
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

process.env.REDIS_CLUSTER_NODES = process.env.REDIS_CLUSTER_NODES || '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003';

module.exports = {
  ...base,
  testMatch: ['**/test/cluster/**/*.cluster.ts', '**/test/e2e/console*.test.ts', '**/test/integration/reminders.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 60000,
};
