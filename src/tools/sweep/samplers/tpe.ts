/**
 * --sampler tpe: the Tree-structured Parzen Estimator (Bergstra et al., 2011),
 * one param at a time. After --startup random draws, the trials seen so far
 * are split into the best quarter ("good") and the rest; each param gets two
 * densities, l(x) over the good trials' values and g(x) over the others'
 * (a Gaussian around each value, in log space for loguniform, plus a wide
 * prior), and the next value is, among candidates drawn from l, the one with
 * the highest l(x)/g(x). Choices get smoothed frequencies instead.
 *
 * A finished trial ranks above one the pruner stopped, and a trial stopped
 * later above one stopped earlier: a low accuracy at step 100 says less
 * than one at step 1000, but it does say the trial was not among the best.
 */
import type { RandomStream } from '../../../runtime/random.js';
import type { Distribution } from '../options.js';
import { draw } from '../strategies/random.js';
import type { Observation, ParamValues, Sampler } from './sampler.js';

/** Candidates drawn from l(x) per param. */
const CANDIDATES = 24;

export const tpe: Sampler = {
  name: 'tpe',
  draw: (space, history, _index, { random, mode, startup }) => {
    const seen = history.filter((o) => o.value !== undefined && o.state !== 'failed' && o.state !== 'running');
    if (seen.length < Math.max(startup, 2)) return Object.fromEntries(space.map(({ param, distribution }) => [param, draw(distribution, random)]));
    const ranked = rank(seen, mode);
    const good = ranked.slice(0, goodCount(ranked.length));
    const bad = ranked.slice(good.length);
    return Object.fromEntries(space.map(({ param, distribution }) => [param, suggest(distribution, good.map((o) => o.params[param]!), bad.map((o) => o.params[param]!), random)])) as ParamValues;
  },
};

/** The good group's size: a quarter of the trials, at least one (Hyperopt's gamma). */
export function goodCount(n: number): number {
  return Math.max(1, Math.ceil(0.25 * n));
}

/** Best first: finished before pruned, deeper before shallower, then by the metric. */
export function rank(observations: readonly Observation[], mode: 'max' | 'min'): Observation[] {
  const sign = mode === 'max' ? -1 : 1;
  return [...observations].sort((a, b) => {
    const fa = a.state === 'done' ? 1 : 0;
    const fb = b.state === 'done' ? 1 : 0;
    return fb - fa || b.step - a.step || sign * (a.value! - b.value!);
  });
}

function suggest(d: Distribution, good: readonly (string | number | boolean)[], bad: readonly (string | number | boolean)[], random: RandomStream): string | number | boolean {
  if (d.kind === 'choice') return suggestChoice(d.values, good, bad, random);
  const log = d.kind === 'loguniform';
  const to = (x: number): number => (log ? Math.log(x) : x);
  const from = (y: number): number => (log ? Math.exp(y) : y);
  // Whole numbers: each integer owns the unit interval around it.
  const low = to(d.low) - (d.kind === 'int' ? 0.5 : 0);
  const high = to(d.high) + (d.kind === 'int' ? 0.5 : 0);
  const l = parzen(good.map((v) => to(v as number)), low, high);
  const g = parzen(bad.map((v) => to(v as number)), low, high);
  let best = Number.NaN;
  let bestScore = -Infinity;
  for (let i = 0; i < CANDIDATES; i++) {
    const y = l.sample(random);
    const score = Math.log(l.density(y)) - Math.log(g.density(y));
    if (score > bestScore) [best, bestScore] = [y, score];
  }
  if (d.kind === 'int') return Math.min(d.high, Math.max(d.low, Math.round(best)));
  return Number(from(best).toPrecision(6));
}

function suggestChoice(values: readonly (string | number | boolean)[], good: readonly unknown[], bad: readonly unknown[], random: RandomStream): string | number | boolean {
  // Counts plus one for every value (the prior), normalised.
  const weights = (group: readonly unknown[]): number[] => {
    const counts = values.map((v) => 1 + group.filter((g) => g === v).length);
    const total = counts.reduce((s, c) => s + c, 0);
    return counts.map((c) => c / total);
  };
  const l = weights(good);
  const g = weights(bad);
  let best = 0;
  let bestScore = -Infinity;
  for (let i = 0; i < CANDIDATES; i++) {
    let u = random.nextFloat();
    let k = 0;
    while (k < l.length - 1 && u >= l[k]!) u -= l[k++]!;
    const score = Math.log(l[k]!) - Math.log(g[k]!);
    if (score > bestScore) [best, bestScore] = [k, score];
  }
  return values[best]!;
}

export interface Parzen {
  density(x: number): number;
  sample(random: RandomStream): number;
}

/**
 * A mixture of Gaussians on [low, high]: one per point, its width the larger
 * gap to its neighbours (clipped to between range / min(100, n + 1) and
 * the range), and a prior at the middle as wide as the range.
 */
export function parzen(points: readonly number[], low: number, high: number): Parzen {
  const range = high - low;
  const mus = [...points, (low + high) / 2];
  const sorted = [...points].sort((a, b) => a - b);
  const minSigma = range / Math.min(100, 1 + mus.length);
  const sigmas = points.map((p) => {
    const i = sorted.indexOf(p);
    const left = i > 0 ? p - sorted[i - 1]! : p - low;
    const right = i < sorted.length - 1 ? sorted[i + 1]! - p : high - p;
    return Math.min(range, Math.max(minSigma, left, right));
  });
  sigmas.push(range);
  const weight = 1 / mus.length;
  const density = (x: number): number =>
    mus.reduce((sum, mu, i) => {
      const s = sigmas[i]!;
      // Truncated to [low, high]: each component's mass inside the range normalises it.
      const mass = normalCdf((high - mu) / s) - normalCdf((low - mu) / s);
      return sum + (weight * Math.exp(-0.5 * ((x - mu) / s) ** 2)) / (s * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-12));
    }, 0);
  const sample = (random: RandomStream): number => {
    const i = Math.min(Math.floor(random.nextFloat() * mus.length), mus.length - 1);
    // Rejection from the component's truncation; after a few misses, the nearest bound.
    for (let attempt = 0; attempt < 16; attempt++) {
      const x = mus[i]! + sigmas[i]! * gaussian(random);
      if (x >= low && x <= high) return x;
    }
    return Math.min(high, Math.max(low, mus[i]!));
  };
  return { density, sample };
}

function gaussian(random: RandomStream): number {
  const u = Math.max(random.nextFloat(), 1e-12);
  const v = random.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Φ(z), by the Abramowitz–Stegun erf approximation (error below 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
