import { loadEnvironment } from '@hotline/platform';
import { SupervisionEnvironment } from './supervision.environment';

describe('SupervisionEnvironment', () => {
  it('reads the scan interval and office hours', () => {
    expect(loadEnvironment(SupervisionEnvironment, {})).toMatchObject({ SLA_SCAN_INTERVAL_MS: 1000, OFFICE_HOURS: undefined });
    expect(loadEnvironment(SupervisionEnvironment, { SLA_SCAN_INTERVAL_MS: '250', OFFICE_HOURS: '08:30-12:00,14:00-18:00' })).toMatchObject({
      SLA_SCAN_INTERVAL_MS: 250,
      OFFICE_HOURS: '08:30-12:00,14:00-18:00',
    });
  });

  it('names a bad interval or office hours', () => {
    expect(() => loadEnvironment(SupervisionEnvironment, { SLA_SCAN_INTERVAL_MS: 'often' })).toThrow(/SLA_SCAN_INTERVAL_MS/);
    expect(() => loadEnvironment(SupervisionEnvironment, { OFFICE_HOURS: 'nine to five' })).toThrow(/OFFICE_HOURS/);
  });
});
