/**
 * The contract of a pruner (`graphc sweep --pruner`): after each evaluation of
 * a trial, whether it goes on or stops there (with its checkpoint, status
 * `pruned`); and, when a trial slot is free, which stopped trial (if any) the
 * rule now promotes, to be resumed. Like the samplers, a pruner reads only the
 * trials' curves, so every decision can be made again from disk or Redis.
 * One file per pruner and one list (index.ts).
 */

/** The metric of each trial at each evaluated step: trial id → step → value. */
export type Curves = ReadonlyMap<string, ReadonlyMap<number, number>>;

export interface PrunerSettings {
  /** The first rung (ASHA), the warm-up (median): in training steps. */
  readonly minResource: number;
  /** ASHA's reduction factor: a third of the trials go on at each rung with 3. */
  readonly reduction: number;
  /** The trials' full length in steps. */
  readonly maxResource: number;
  readonly mode: 'max' | 'min';
}

export interface Pruner {
  readonly name: 'asha' | 'median';
  /** After `trial` evaluated at `step`: go on, or stop. */
  decide(trial: string, step: number, curves: Curves, settings: PrunerSettings): 'continue' | 'stop';
  /** Among the stopped trials (id → the step it stopped at), the one to resume now, if any. */
  promote(stopped: ReadonlyMap<string, number>, curves: Curves, settings: PrunerSettings): string | undefined;
  /** The rung a step is on (ASHA), for the table. */
  rungOf?(step: number, settings: PrunerSettings): number | undefined;
}

/** `a` better than `b`. */
export function better(a: number, b: number, mode: 'max' | 'min'): boolean {
  return mode === 'max' ? a > b : a < b;
}
