import fs from 'node:fs';
import path from 'node:path';
import { ServiceEnvironment } from '@hotline/platform';
import { GatewayEnvironment } from '../../apps/gateway/src/gateway.environment';
import { IntakeEnvironment } from '../../apps/intake/src/intake.environment';
import { MetricsEnvironment } from '../../apps/metrics/src/metrics.environment';
import { SupervisionEnvironment } from '../../apps/supervision/src/supervision.environment';

const documented = fs.readFileSync(path.join(__dirname, '../../.env.example'), 'utf8');

/** Every setting a service reads is documented in .env.example (set or commented out). */
describe('.env.example', () => {
  it.each([
    ['every service', ServiceEnvironment],
    ['gateway', GatewayEnvironment],
    ['intake', IntakeEnvironment],
    ['supervision', SupervisionEnvironment],
    ['metrics', MetricsEnvironment],
  ])('documents the settings of %s', (_name, environment) => {
    const names = Object.keys(new environment());
    expect(names.length).toBeGreaterThan(3);
    const missing = names.filter((name) => !new RegExp(`^#?\\s*${name}=`, 'm').test(documented));
    expect(missing).toEqual([]);
  });
});
