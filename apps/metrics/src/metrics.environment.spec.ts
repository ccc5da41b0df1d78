import { loadEnvironment } from '@hotline/platform';
import { MetricsEnvironment } from './metrics.environment';

describe('MetricsEnvironment', () => {
  it('reads the hotspot rule from the environment, with defaults', () => {
    expect(loadEnvironment(MetricsEnvironment, {})).toMatchObject({ HOTSPOT_MIN_COUNT: 5, HOTSPOT_RATIO: 3, HOTSPOT_BASELINE_DAYS: 28 });
    const env = loadEnvironment(MetricsEnvironment, { HOTSPOT_MIN_COUNT: '8', HOTSPOT_RATIO: '2.5', HOTSPOT_BASELINE_DAYS: '14' });
    expect(env).toMatchObject({ HOTSPOT_MIN_COUNT: 8, HOTSPOT_RATIO: 2.5, HOTSPOT_BASELINE_DAYS: 14 });
  });

  it('refuses a ratio that would call every day a hotspot', () => {
    expect(() => loadEnvironment(MetricsEnvironment, { HOTSPOT_RATIO: '1' })).toThrow(/HOTSPOT_RATIO/);
  });
});
