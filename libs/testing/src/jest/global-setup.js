// Brings up PostgreSQL, Redis and Kafka (reusing what already runs) before integration and
// e2e suites, so `jest -c jest.int.config.js` works on its own too.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

module.exports = async function globalSetup() {
  const root = path.resolve(__dirname, '../../../..');
  const infra = await import(pathToFileURL(path.join(root, 'tools/infra/index.mjs')).href);
  await infra.ensureInfrastructure({ root, log: () => undefined });
};
