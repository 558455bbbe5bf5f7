/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Sending-under-load tests run afterwards on their own (jest.load.config.js).
  testPathIgnorePatterns: ['/node_modules/', '\\.load\\.test\\.ts$'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  testTimeout: 30000,
  // Integration tests share one Redis; files run in parallel with unique key prefixes.
  maxWorkers: 2,
};
