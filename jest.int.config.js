/** Integration tests: `*.int-spec.ts`, against the real PostgreSQL, Kafka and Redis. */
module.exports = {
  ...require('./jest.preset'),
  displayName: 'integration',
  testMatch: ['<rootDir>/{apps,libs,tools}/**/*.int-spec.ts'],
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.js',
  testTimeout: 60_000,
};
