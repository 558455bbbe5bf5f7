/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Sending-under-load tests run afterwards on their own (jest.load.config.js).
  testPathIgnorePatterns: ['/node_modules/', '\\.load\\.test\\.ts$'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    // archiver 8 and the packages it needs are ES modules only; Node 20 requires them natively, jest's module system
    // does not (https://jestjs.io/docs/ecmascript-modules#require-of-esm): compiled to CommonJS for the tests.
    '/node_modules/(archiver|zip-stream|compress-commons|crc32-stream)/.+\\.js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Other packages are used as they are; those nested under these are compiled too (is-stream 4 under archiver is ESM).
  transformIgnorePatterns: ['^(?!.*/node_modules/(archiver|zip-stream|compress-commons|crc32-stream)/).*/node_modules/'],
  testTimeout: 30000,
  // Integration tests share one Redis; files run in parallel with unique key prefixes.
  maxWorkers: 2,
};
