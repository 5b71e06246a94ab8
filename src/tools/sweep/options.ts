/** A sweep's options as the command line gives them, parsed: what the strategies and the trials read. */

/** A trial's param values, by param name. */
export type ParamValues = Readonly<Record<string, string | number | boolean>>;

export type Distribution =
  | { readonly kind: 'uniform' | 'loguniform' | 'int'; readonly low: number; readonly high: number }
  | { readonly kind: 'choice'; readonly values: readonly (string | number | boolean)[] };

export type { TrialSchedule } from '../../runtime/trial-protocol.js';
import type { TrialSchedule } from '../../runtime/trial-protocol.js';

/** The sweep as the command line gives it, parsed. */
export interface SweepOptions {
  readonly grid: readonly { readonly param: string; readonly values: readonly (string | number | boolean)[] }[];
  readonly random: readonly { readonly param: string; readonly distribution: Distribution }[];
  readonly samples: number;
  /** Seeds per variant: seed, seed + 1, … */
  readonly repeat: number;
  /** The first trial seed, and the seed of the random draws. */
  readonly seed: number;
  /** --set: params every trial shares. */
  readonly set: ParamValues;
  readonly schedule: TrialSchedule;
}
