import { employerKey } from './employer-key';

describe('employerKey', () => {
  it.each([
    ['重庆某某建筑劳务有限公司', '某某建筑劳务'],
    ['某某建筑劳务公司', '某某建筑劳务'],
    ['重庆市 某某建筑劳务 有限责任公司', '某某建筑劳务'],
    ['（重庆）某某建筑劳务有限公司', '某某建筑劳务'],
    ['ＡＢＣ电子厂', 'abc电子'],
  ])('%s → %s', (name, key) => {
    expect(employerKey(name)).toBe(key);
  });

  it('gives nothing to match on for empty or one-character names', () => {
    expect(employerKey('')).toBeNull();
    expect(employerKey(undefined)).toBeNull();
    expect(employerKey('厂')).toBeNull();
  });
});
