/**
 * --pruner median: after the warm-up (minResource steps), a trial whose best
 * value so far is worse than the median of the other trials' values at the
 * same step stops there (Google Vizier's median stopping rule). It needs a few
 * other trials at that step to judge; a stopped trial is never promoted.
 */
import { better, type Pruner } from './pruner.js';

/** Other trials at the step before the rule judges. */
export const MEDIAN_MIN_TRIALS = 3;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const medianPruner: Pruner = {
  name: 'median',
  decide: (trial, step, curves, settings) => {
    if (step < settings.minResource || step >= settings.maxResource) return 'continue';
    const own = [...(curves.get(trial) ?? new Map<number, number>())].filter(([s]) => s <= step).map(([, v]) => v);
    if (own.length === 0) return 'continue';
    const others = [...curves].filter(([id, curve]) => id !== trial && curve.has(step)).map(([, curve]) => curve.get(step)!);
    if (others.length < MEDIAN_MIN_TRIALS) return 'continue';
    const best = settings.mode === 'max' ? Math.max(...own) : Math.min(...own);
    return better(median(others), best, settings.mode) ? 'stop' : 'continue';
  },
  promote: () => undefined,
};
