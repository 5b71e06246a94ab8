/** --grid NAME=V1,V2,…: every combination of the listed values (the cartesian product, in the order given). */
import type { ParamValues, SweepStrategy } from './strategy.js';

export const grid: SweepStrategy = {
  name: 'grid',
  trials: (options) => {
    if (options.grid.length === 0) return [];
    let combinations: ParamValues[] = [{}];
    for (const axis of options.grid) combinations = combinations.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.param]: v })));
    return combinations;
  },
};
