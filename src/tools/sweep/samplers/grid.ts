/** --sampler grid: draw n is the n-th combination of the choices, in the order given; then nothing. */
import type { Sampler } from './sampler.js';

export const grid: Sampler = {
  name: 'grid',
  draw: (space, _history, index) => {
    const values: Record<string, string | number | boolean> = {};
    let rest = index;
    // The last axis varies fastest, as --grid's cartesian product.
    for (const { param, distribution } of [...space].reverse()) {
      if (distribution.kind !== 'choice') return undefined;
      values[param] = distribution.values[rest % distribution.values.length]!;
      rest = Math.floor(rest / distribution.values.length);
    }
    return rest > 0 ? undefined : Object.fromEntries(space.map(({ param }) => [param, values[param]!]));
  },
};
