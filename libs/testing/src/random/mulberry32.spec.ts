import { Mulberry32 } from './mulberry32';

describe('Mulberry32', () => {
  it('replays the same sequence from the same seed, in [0, 1)', () => {
    const a = new Mulberry32(42);
    const b = new Mulberry32(42);
    const draws = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(draws);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    // mulberry32's published first output for seed 42 (seeds printed in earlier runs keep replaying).
    expect(new Mulberry32(42).next()).toBeCloseTo(0.6011037519201636, 15);
  });
});
