/** A sweep's options as the command line gives them, parsed: what the strategies and the trials read. */

/** A trial's param values, by param name. */
export type ParamValues = Readonly<Record<string, string | number | boolean>>;

export type Distribution =
  | { readonly kind: 'uniform' | 'loguniform' | 'int'; readonly low: number; readonly high: number }
  | { readonly kind: 'choice'; readonly values: readonly (string | number | boolean)[] };

export type { TrialSchedule } from '../../runtime/trial_protocol.js';
import type { TrialSchedule } from '../../runtime/trial_protocol.js';

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
  /** --sampler: trials drawn one at a time, each from what the finished ones showed (absent: the grid and --samples draws, all up front). */
  readonly search?: SearchOptions;
  /** --pruner: trials stopped early when their curves say they will not be among the best. */
  readonly pruner?: PrunerOptions;
  /** --budget: the sweep ends when its trials have trained this many steps in all, or after this long. */
  readonly budget?: Budget;
}

export interface SearchOptions {
  readonly sampler: 'grid' | 'random' | 'tpe';
  /** Random draws before TPE models (--startup). */
  readonly startup: number;
  /** At most this many draws (--samples); without, until the budget is spent. */
  readonly samples?: number;
}

export interface PrunerOptions {
  readonly name: 'asha' | 'median';
  /** The first rung / the warm-up, in steps (--min-resource). */
  readonly minResource: number;
  /** ASHA's reduction factor (--reduction). */
  readonly reduction: number;
  /** A trial's full length in steps (--steps, else the spec's): no rung at or past it. */
  readonly maxResource: number;
}

export type Budget = { readonly steps: number } | { readonly seconds: number };
