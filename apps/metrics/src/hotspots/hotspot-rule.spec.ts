import { DEFAULT_HOTSPOT_RULE, hotspotThreshold, isHotspot } from './hotspot-rule';

describe('hotspot rule', () => {
  const rule = DEFAULT_HOTSPOT_RULE; // at least 5, at least 3× the average of 28 days

  it('needs the floor when the matter is usually quiet', () => {
    expect(hotspotThreshold(rule, 0)).toBe(5);
    expect(isHotspot(rule, 4, 0)).toBe(false);
    expect(isHotspot(rule, 5, 0)).toBe(true);
  });

  it('scales with what is normal for the matter', () => {
    // 10 a day for 28 days: a hotspot from 30 a day, not at 29.
    expect(hotspotThreshold(rule, 280)).toBe(30);
    expect(isHotspot(rule, 29, 280)).toBe(false);
    expect(isHotspot(rule, 30, 280)).toBe(true);
  });

  it('rounds a fractional threshold up', () => {
    // 2.5 a day → 7.5 → 8
    expect(hotspotThreshold(rule, 70)).toBe(8);
  });
});
