/**
 * The training knobs of `train` beyond the optimizer: the learning-rate
 * schedule and gradient clipping, checked against each other and the run
 * (GC320–GC323) and put in the form the runtime reads (runtime/optim/schedules.ts,
 * clip.ts). A constant schedule and a clip norm of 0 are left out, so a spec that
 * switches them off with a param compiles to the module it had without them.
 */
import type { Code, ParamsOf } from '../../common/diagnostics/catalogue.js';
import type { ClipSpec, LearningRateScheduleSpec } from '../1-spec/types.js';
import { COSINE_DEFAULTS } from '../1-spec/types.js';

export type IrLearningRateSchedule =
  | { readonly type: 'exponential_decay'; readonly decaySteps: number; readonly decayRate: number; readonly staircase: boolean }
  | { readonly type: 'piecewise_constant'; readonly boundaries: readonly number[]; readonly values: readonly number[] }
  | { readonly type: 'cosine_decay'; readonly warmupSteps: number; readonly decaySteps: number; readonly alpha: number };

export type IrClip = { readonly globalNorm: number } | { readonly value: number };

type Report = <C extends Code>(code: C, params: ParamsOf<C>, path: string, prefer?: 'value' | 'key') => void;

const PATH = '/train/learning_rate_schedule';

/** The schedule in the runtime's form; undefined for constant (or none), or when a problem was reported. */
export function analyzeSchedule(s: LearningRateScheduleSpec | undefined, steps: number, report: Report): IrLearningRateSchedule | undefined {
  if (!s || s.type === 'constant') return undefined;
  const need = <K extends keyof LearningRateScheduleSpec>(key: K, meaning: string): NonNullable<LearningRateScheduleSpec[K]> | undefined => {
    const value = s[key];
    if (value === undefined) report('GC320', { schedule: s.type, key, meaning }, PATH, 'key');
    return value ?? undefined;
  };
  switch (s.type) {
    case 'exponential_decay': {
      const decaySteps = need('decay_steps', 'steps per factor decay_rate');
      const decayRate = need('decay_rate', 'the factor per decay_steps');
      if (decaySteps === undefined || decayRate === undefined) return undefined;
      return { type: s.type, decaySteps, decayRate, staircase: s.staircase ?? false };
    }
    case 'piecewise_constant': {
      const boundaries = need('boundaries', 'the steps where the rate changes');
      const values = need('values', 'the learning rates, one more than boundaries');
      if (boundaries === undefined || values === undefined) return undefined;
      let ok = true;
      for (let i = 1; i < boundaries.length; i++) {
        if (boundaries[i]! <= boundaries[i - 1]!) {
          report('GC322', { index: i, boundary: boundaries[i]!, previous: boundaries[i - 1]! }, `${PATH}/boundaries/${i}`);
          ok = false;
          break;
        }
      }
      if (values.length !== boundaries.length + 1) {
        report('GC323', { values: values.length, boundaries: boundaries.length }, `${PATH}/values`);
        ok = false;
      }
      return ok ? { type: s.type, boundaries, values } : undefined;
    }
    case 'cosine_decay': {
      const decaySteps = need('decay_steps', 'steps of the cosine after the warm-up');
      const warmupSteps = s.warmup_steps ?? COSINE_DEFAULTS.warmup_steps;
      if (warmupSteps > steps) {
        report('GC321', { warmup: warmupSteps, steps }, `${PATH}/warmup_steps`);
        return undefined;
      }
      if (decaySteps === undefined) return undefined;
      return { type: s.type, warmupSteps, decaySteps, alpha: s.alpha ?? COSINE_DEFAULTS.alpha };
    }
  }
}

/** Clipping in the runtime's form; undefined for none or a global norm of 0 (off). */
export function analyzeClip(clip: ClipSpec | undefined): IrClip | undefined {
  if (!clip) return undefined;
  if ('value' in clip) return { value: clip.value };
  return clip.global_norm > 0 ? { globalNorm: clip.global_norm } : undefined;
}
