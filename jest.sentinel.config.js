/**
 * The sentinel suite (issue 16 item 2): `npm run test:sentinel`, with a Sentinel deployment running — one master, one
 * replica, three sentinels (test/helpers/redis-sentinel.sh start; `.ci/run` starts it). test/sentinel/setup-env.ts
 * sets REDIS_SENTINELS and REDIS_SENTINEL_NAME, so the bots test/helpers/harness.ts builds ask the sentinels for their
 * master, and REDIS_URL names that master for the tests' own connections. The same files as the cluster suite (the
 * Redis-heavy part of the suite: README「Redis Sentinel」), with test/sentinel's own checks instead of test/cluster's.
 * @type {import('jest').Config}
 */
const cluster = require('./jest.cluster.config.js');

module.exports = {
  ...cluster,
  testMatch: ['**/test/sentinel/**/*.sentinel.ts', ...cluster.testMatch.filter((glob) => !glob.includes('/test/cluster/'))],
  setupFiles: ['<rootDir>/test/sentinel/setup-env.ts'],
};
