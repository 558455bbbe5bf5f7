/**
 * The sending-under-load tests (`*.load.test.ts`): bursts of hundreds of reminders against the fake platforms'
 * rate limits, which run in this same process. They judge pacing by when requests reach the fake, so they run
 * after the rest of `npm test`, one file at a time, on a machine not busy with other suites (jest.config.js
 * leaves them out; `npm test` runs both).
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('./jest.config.js'),
  testMatch: ['**/*.load.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
};
