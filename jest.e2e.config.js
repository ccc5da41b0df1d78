/** End-to-end tests: the five apps as real processes, driven through the gateway's HTTP API. */
module.exports = {
  ...require('./jest.preset'),
  displayName: 'e2e',
  testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/e2e/support/global-setup.js',
  globalTeardown: '<rootDir>/e2e/support/global-teardown.js',
  testTimeout: 60_000,
};
