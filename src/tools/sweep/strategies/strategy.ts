/**
 * The contract of a sweep strategy: from the parsed options, the param values
 * of each trial (before repeats and seeds). One file per strategy and one list
 * (index.ts), as for ops.
 */
import type { RandomStream } from '../../../runtime/random.js';
import type { ParamValues, SweepOptions } from '../options.js';

export type { ParamValues } from '../options.js';

export interface SweepStrategy {
  readonly name: string;
  /** The value sets this strategy contributes; none when its options are absent. */
  trials(options: SweepOptions, random: RandomStream): ParamValues[];
}
