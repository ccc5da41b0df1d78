import { colourOf, DEFAULT_FORMULA, scoreOf } from './scoring';

const rates = (over: Partial<Parameters<typeof scoreOf>[0]> = {}) => ({
  timelySignFor: 1,
  onTimeCompletion: 1,
  completion: 1,
  satisfaction: 1,
  returnRate: 0,
  reopenRate: 0,
  repeatRate: 0,
  ...over,
});

describe('composite score and five-colour grading', () => {
  it('weights the three rates and takes the reopen penalty off', () => {
    expect(scoreOf(rates(), DEFAULT_FORMULA)).toBe(100);
    // 0.3 × 0.9 + 0.4 × 0.8 + 0.3 × 0.5 = 0.74 → 74, minus 20 × 0.1 = 72.
    expect(scoreOf(rates({ timelySignFor: 0.9, onTimeCompletion: 0.8, satisfaction: 0.5, reopenRate: 0.1 }), DEFAULT_FORMULA)).toBe(72);
  });

  it('leaves out a rate with nothing to measure, and gives no score without any', () => {
    // Only sign-for is known: it alone decides.
    expect(scoreOf(rates({ onTimeCompletion: null, satisfaction: null, timelySignFor: 0.5 }), DEFAULT_FORMULA)).toBe(50);
    expect(scoreOf(rates({ timelySignFor: null, onTimeCompletion: null, satisfaction: null }), DEFAULT_FORMULA)).toBeNull();
  });

  it.each([
    [99, 'dark-green'],
    [95, 'dark-green'],
    [94.99, 'light-green'],
    [85, 'yellow'],
    [70, 'orange'],
    [69.99, 'red'],
    [null, null],
  ])('%p is %p', (score, colour) => {
    expect(colourOf(score as number | null, DEFAULT_FORMULA.bands)).toBe(colour);
  });
});
