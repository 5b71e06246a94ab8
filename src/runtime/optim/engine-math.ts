/**
 * The few transcendental numbers training computes in JavaScript — Adam's
 * β^t, exponential decay's rate^p, cosine decay's cos — written with + − × ÷
 * alone, which IEEE 754 rounds alike in every engine. V8's `**`, Math.exp,
 * Math.log, Math.cos and Math.sin are not: Node 20's and Chromium 156's differ
 * in the last bit for a few percent of arguments (0.999 ** 4 among them), and
 * a bundled page would then take other steps than `graphc run` on the same
 * kernels. Each function is within a few units in the last place of the true
 * value, and returns the same double wherever it runs.
 */

/** base^n for a whole n ≥ 0, by repeated squaring (about 2·log₂ n roundings). */
export function powInt(base: number, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`powInt: exponent ${n} is not a whole number ≥ 0`);
  let result = 1;
  let square = base;
  for (let k = n; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) result *= square;
    if (k > 1) square *= square;
  }
  return result;
}

// ln 2 split in two (Cody and Waite): n·LN2_HI is exact for |n| < 2^20, so exp's reduction loses nothing.
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LN2 = 0.6931471805599453;
const SQRT1_2 = 0.7071067811865476;

/** x·2^k, exact (multiplying by 2 or ½ only moves the exponent) for results in the normal range. */
function scale(x: number, k: number): number {
  let y = x;
  for (let i = 0; i < k; i++) y *= 2;
  for (let i = 0; i > k; i--) y *= 0.5;
  return y;
}

/** The natural logarithm of x > 0. */
export function ln(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`ln: ${x} is not a positive finite number`);
  // x = m·2^k with m in [√½, √2), then ln m = 2·atanh(s), s = (m − 1)/(m + 1), |s| < 0.172.
  let m = x;
  let k = 0;
  while (m >= 2 * SQRT1_2) {
    m *= 0.5;
    k++;
  }
  while (m < SQRT1_2) {
    m *= 2;
    k--;
  }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let term = s;
  let sum = 0;
  // |s|^29 / 29 < 1e-23: far below a double's resolution of ln m.
  for (let i = 1; i <= 29; i += 2) {
    sum += term / i;
    term *= s2;
  }
  return k * LN2 + 2 * sum;
}

/** e^y, for |y| < 700. */
export function exp(y: number): number {
  if (!(Math.abs(y) < 700)) throw new RangeError(`exp: ${y} is out of range`);
  // y = k·ln 2 + r with |r| ≤ ½ ln 2, then e^r by its Taylor series (the 20th term is below 1e-23).
  const k = Math.round(y / LN2);
  const r = y - k * LN2_HI - k * LN2_LO;
  let term = 1;
  let sum = 1;
  for (let i = 1; i <= 20; i++) {
    term = (term * r) / i;
    sum += term;
  }
  return scale(sum, k);
}

/** base^p for base ≥ 0 and p ≥ 0: the whole part of p by squaring, the rest as e^(frac·ln base). */
export function pow(base: number, p: number): number {
  if (!(p >= 0) || !Number.isFinite(p)) throw new RangeError(`pow: exponent ${p} is not a finite number ≥ 0`);
  if (base === 0) return p === 0 ? 1 : 0;
  const whole = Math.floor(p);
  const frac = p - whole;
  const head = powInt(base, whole);
  return frac === 0 ? head : head * exp(frac * ln(base));
}

/** cos(π·p) for p in [0, 1] (a cosine schedule's progress). */
export function cosPi(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`cosPi: ${p} is not in [0, 1]`);
  // cos(π·p) = −cos(π·(1 − p)): the series then runs over [0, π/2], where 14 terms reach 1e-24.
  if (p > 0.5) return -cosPi(1 - p);
  const x = Math.PI * p;
  const x2 = x * x;
  let term = 1;
  let sum = 1;
  for (let i = 1; i <= 14; i++) {
    term = (-term * x2) / ((2 * i - 1) * (2 * i));
    sum += term;
  }
  return sum;
}
