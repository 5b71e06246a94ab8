/**
 * The contract of a sampler (`graphc sweep --sampler`): the next trial's param
 * values, from the search space and what the sweep's trials have shown so far.
 * A sampler keeps no state of its own: everything it reads is derived from the
 * trials on disk (or in Redis), so a resumed sweep continues the same search.
 * One file per sampler and one list (index.ts), as for ops.
 */
import type { RandomStream } from '../../../runtime/random.js';
import type { Distribution, ParamValues } from '../options.js';

export type { ParamValues } from '../options.js';

/** The declared distributions; a --grid axis is a choice among its values. */
export type SearchSpace = readonly { readonly param: string; readonly distribution: Distribution }[];

/** A trial as the sampler sees it. */
export interface Observation {
  readonly params: ParamValues;
  /** The metric at the trial's last evaluation (absent before its first). */
  readonly value?: number;
  /** The trial's last evaluated step. */
  readonly step: number;
  /** Finished (done), stopped early by the pruner, or still under way. */
  readonly state: 'done' | 'pruned' | 'running' | 'failed';
}

export interface SamplerContext {
  /** Draw `index`'s own stream: the same draw from the same history, on any machine. */
  readonly random: RandomStream;
  /** Which way the metric is better. */
  readonly mode: 'max' | 'min';
  /** Random draws before a model-based sampler starts modelling (--startup). */
  readonly startup: number;
}

export interface Sampler {
  readonly name: 'grid' | 'random' | 'tpe';
  /** The values of draw number `index` (from 0); undefined when the sampler has nothing left to draw. */
  draw(space: SearchSpace, history: readonly Observation[], index: number, context: SamplerContext): ParamValues | undefined;
}
