/**
 * The fault suite (issue #7): `npm run test:faults`. Child bot processes, SIGKILLs and private redis-servers;
 * kept apart from `npm test` (files are named *.fault.ts, which the default config does not match).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.fault.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  testTimeout: 120000,
  maxWorkers: 2,
};
