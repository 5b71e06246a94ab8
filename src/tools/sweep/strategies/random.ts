/**
 * --random NAME=DIST --samples N: N draws from each distribution, from the
 * sweep's --seed, so the same command draws the same trials.
 * Distributions: uniform:LOW:HIGH, loguniform:LOW:HIGH, int:LOW:HIGH
 * (inclusive), choice:A|B|C.
 */
import type { RandomStream } from '../../../runtime/random.js';
import type { Distribution } from '../options.js';
import type { ParamValues, SweepStrategy } from './strategy.js';

export const random: SweepStrategy = {
  name: 'random',
  trials: (options, stream) => {
    if (options.random.length === 0) return [];
    return Array.from({ length: options.samples }, () => Object.fromEntries(options.random.map((r) => [r.param, draw(r.distribution, stream)])) as ParamValues);
  },
};

/** One value of `d`; floats are rounded to 6 significant digits so that names and --set arguments stay readable. */
export function draw(d: Distribution, stream: RandomStream): string | number | boolean {
  const u = stream.nextFloat();
  switch (d.kind) {
    case 'uniform':
      return round(d.low + u * (d.high - d.low));
    case 'loguniform':
      return round(Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low))));
    case 'int':
      return d.low + Math.min(Math.floor(u * (d.high - d.low + 1)), d.high - d.low);
    case 'choice':
      return d.values[Math.min(Math.floor(u * d.values.length), d.values.length - 1)]!;
  }
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}
