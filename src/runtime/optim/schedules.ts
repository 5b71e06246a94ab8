/**
 * Learning-rate schedules: the rate of a step from the number of steps
 * completed before it (t = 0 for the first step, as TF1's global_step and
 * PyTorch's scheduler.step() after each optimizer.step()). Closed forms, so
 * a resumed run continues a schedule exactly from its step count; only
 * reduce_on_plateau has state (monitor.ts), which the checkpoint keeps.
 */
import type { PlateauConfig } from '../monitor.js';
import { cosPi, pow } from './engine-math.js';
export type LearningRateSchedule =
  /** TF1 exponential_decay: lr·rate^(t/steps), the exponent floored when staircase. */
  | { readonly type: 'exponential_decay'; readonly decaySteps: number; readonly decayRate: number; readonly staircase: boolean }
  /** TF1 piecewise_constant: values[0] while t ≤ boundaries[0], values[i] while boundaries[i−1] < t ≤ boundaries[i], then the last. */
  | { readonly type: 'piecewise_constant'; readonly boundaries: readonly number[]; readonly values: readonly number[] }
  /**
   * Linear warm-up to lr over warmupSteps steps (lr·(t+1)/warmup), then a
   * cosine from lr down to alpha·lr over decaySteps steps, then alpha·lr
   * (TF1's cosine_decay after the warm-up; PyTorch's LinearLR then CosineAnnealingLR).
   */
  | { readonly type: 'cosine_decay'; readonly warmupSteps: number; readonly decaySteps: number; readonly alpha: number }
  /** PyTorch's ReduceLROnPlateau: not a function of t; the trainer steps it after each evaluation (monitor.ts). */
  | PlateauConfig;

/** The learning rate of the step after `t` completed steps; `base` is the optimizer's learning_rate. */
export function learningRateAt(base: number, schedule: LearningRateSchedule | undefined, t: number): number {
  if (!schedule) return base;
  switch (schedule.type) {
    case 'exponential_decay': {
      const p = t / schedule.decaySteps;
      // Not the engine's `**`, which differs between Node and a browser (engine-math.ts).
      return base * pow(schedule.decayRate, schedule.staircase ? Math.floor(p) : p);
    }
    case 'piecewise_constant': {
      const i = schedule.boundaries.findIndex((b) => t <= b);
      return schedule.values[i < 0 ? schedule.boundaries.length : i]!;
    }
    case 'reduce_on_plateau':
      // The plateau's rate is the trainer's to set (Updater.rate); before any drop it is the base rate.
      return base;
    case 'cosine_decay': {
      const w = schedule.warmupSteps;
      if (t < w) return (base * (t + 1)) / w;
      const progress = Math.min(t - w, schedule.decaySteps) / schedule.decaySteps;
      return base * ((1 - schedule.alpha) * 0.5 * (1 + cosPi(progress)) + schedule.alpha);
    }
  }
}
