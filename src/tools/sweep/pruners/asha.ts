/**
 * --pruner asha: asynchronous successive halving (Li et al., 2020). Rungs at
 * steps minResource · reduction^k below the trials' full length. A trial that
 * reaches a rung goes on if it is in the top 1/reduction of the values
 * recorded at that rung so far; otherwise it stops there. A stopped trial is
 * promoted (resumed) later, when enough trials have reached its rung for it to
 * be in their top 1/reduction; higher rungs are promoted from first.
 */
import { better, type Curves, type Pruner, type PrunerSettings } from './pruner.js';

/** The rung steps below the full length. */
export function rungs(settings: PrunerSettings): number[] {
  const steps: number[] = [];
  for (let r = settings.minResource; r < settings.maxResource; r *= settings.reduction) steps.push(r);
  return steps;
}

/** The values at `step` of every trial that reached it, best first. */
function ranked(step: number, curves: Curves, mode: 'max' | 'min'): { trial: string; value: number }[] {
  const values = [...curves].flatMap(([trial, curve]) => (curve.has(step) ? [{ trial, value: curve.get(step)! }] : []));
  return values.sort((a, b) => (better(a.value, b.value, mode) ? -1 : better(b.value, a.value, mode) ? 1 : a.trial < b.trial ? -1 : 1));
}

/** Whether `trial` is among the top ⌊n / reduction⌋ of the n trials at `step`. */
function inTop(trial: string, step: number, curves: Curves, settings: PrunerSettings): boolean {
  const order = ranked(step, curves, settings.mode);
  const top = Math.floor(order.length / settings.reduction);
  return order.slice(0, top).some((o) => o.trial === trial);
}

export const asha: Pruner = {
  name: 'asha',
  decide: (trial, step, curves, settings) => (!rungs(settings).includes(step) || inTop(trial, step, curves, settings) ? 'continue' : 'stop'),
  promote: (stopped, curves, settings) => {
    for (const step of rungs(settings).reverse()) {
      const order = ranked(step, curves, settings.mode);
      const top = order.slice(0, Math.floor(order.length / settings.reduction));
      const candidate = top.find((o) => stopped.get(o.trial) === step);
      if (candidate) return candidate.trial;
    }
    return undefined;
  },
  rungOf: (step, settings) => {
    const all = rungs(settings);
    const reached = all.filter((r) => r <= step).length;
    return step >= settings.maxResource ? all.length : reached > 0 ? reached - 1 : undefined;
  },
};
