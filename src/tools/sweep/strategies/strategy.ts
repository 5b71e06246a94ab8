/**
 * The contract of a sweep strategy: from the parsed options, the param values
 * of each trial (before repeats and seeds). One file per strategy and one list
 * (index.ts), as for ops.
 */
import type { RandomStream } from '../../../runtime/random.js';
import type { SweepOptions } from '../definition.js';

/** A trial's param values, by param name. */
export type ParamValues = Readonly<Record<string, string | number | boolean>>;

export interface SweepStrategy {
  readonly name: string;
  /** The value sets this strategy contributes; none when its options are absent. */
  trials(options: SweepOptions, random: RandomStream): ParamValues[];
}
