/**
 * engine-math.ts against the engine's own functions: the same values to a few
 * units in the last place (its point is to be the same double in every engine,
 * which test/browser/bundle.test.ts checks in Chromium through Adam's steps).
 */
import { describe, expect, it } from 'vitest';
import { cosPi, exp, ln, pow, powInt } from '../../../src/runtime/optim/engine-math.js';

/** |a − b| in units of b's last place. */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const unit = 2 ** (Math.floor(Math.log2(Math.abs(b))) - 52);
  return Math.abs(a - b) / unit;
}

describe('engine-math', () => {
  // Each squaring doubles the relative error of what it squares, so β^t is within about t/3 ulps
  // (what Adam uses, 1 − β^t, far closer): enough for a float32 step size.
  it('powInt is β^t within t/2 + 2 ulps, and exact for powers of two', () => {
    for (const beta of [0.9, 0.99, 0.999, 0.5, 1.5]) {
      for (let t = 0; t <= 5000; t += t < 50 ? 1 : 97) expect(ulps(powInt(beta, t), beta ** t), `${beta}^${t}`).toBeLessThanOrEqual(t / 2 + 2);
    }
    expect(powInt(0.5, 30)).toBe(2 ** -30);
    expect(powInt(0.9, 0)).toBe(1);
    expect(() => powInt(0.9, 1.5)).toThrow(RangeError);
  });

  it('ln and exp are Math.log and Math.exp within 2 and 4 ulps', () => {
    for (let i = 1; i <= 400; i++) {
      const x = i / 37;
      expect(ulps(ln(x), Math.log(x)), `ln ${x}`).toBeLessThanOrEqual(2);
      const y = (i - 200) / 9;
      expect(ulps(exp(y), Math.exp(y)), `exp ${y}`).toBeLessThanOrEqual(4);
    }
    expect(ln(1)).toBe(0);
    expect(exp(0)).toBe(1);
    expect(() => ln(0)).toThrow(RangeError);
  });

  it("pow with a fractional exponent is `**` within 8 + p/2 ulps; cosPi is cos(πp) within 1e-15", () => {
    for (const rate of [0.96, 0.5, 0.1]) {
      for (let i = 0; i <= 300; i++) expect(ulps(pow(rate, i / 7), rate ** (i / 7)), `${rate}^${i}/7`).toBeLessThanOrEqual(8 + i / 14);
    }
    for (let i = 0; i <= 1000; i++) expect(Math.abs(cosPi(i / 1000) - Math.cos(Math.PI * (i / 1000)))).toBeLessThanOrEqual(1e-15);
    expect(pow(0, 0.5)).toBe(0);
    expect(pow(0.25, 0.5)).toBe(0.5);
    expect(cosPi(0)).toBe(1);
    expect(cosPi(1)).toBe(-1);
  });
});
