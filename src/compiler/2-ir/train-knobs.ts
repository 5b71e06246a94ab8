/**
 * The training knobs of `train` beyond the optimizer: the learning-rate
 * schedule and gradient clipping, checked against each other and the run
 * (GC320–GC323) and put in the form the runtime reads (runtime/optim/schedules.ts,
 * clip.ts). A constant schedule and a clip norm of 0 are left out, so a spec that
 * switches them off with a param compiles to the module it had without them.
 */
import type { Code, ParamsOf } from '../../common/diagnostics/catalogue.js';
import type { ClipSpec, EarlyStoppingSpec, LearningRateScheduleSpec, MonitorMode, WeightDecaySpec } from '../1-spec/types.js';
import { COSINE_DEFAULTS, EARLY_STOPPING_DEFAULTS, PLATEAU_DEFAULTS, WEIGHT_DECAY_DEFAULTS } from '../1-spec/types.js';
import { suggest } from '../../common/suggest.js';

export type IrLearningRateSchedule =
  | { readonly type: 'exponential_decay'; readonly decaySteps: number; readonly decayRate: number; readonly staircase: boolean }
  | { readonly type: 'piecewise_constant'; readonly boundaries: readonly number[]; readonly values: readonly number[] }
  | { readonly type: 'cosine_decay'; readonly warmupSteps: number; readonly decaySteps: number; readonly alpha: number }
  | ({ readonly type: 'reduce_on_plateau'; readonly factor: number; readonly patience: number; readonly cooldown: number; readonly minLr: number } & IrMonitor);

/** A metric watched after each evaluation: `test.acc` as split and metric, and which way is better. */
export interface IrMonitor {
  readonly monitor: string;
  readonly mode: MonitorMode;
  readonly minDelta: number;
}

export type IrEarlyStopping = IrMonitor & { readonly patience: number };

export interface IrWeightDecay {
  readonly rate: number;
  readonly variables: readonly string[];
  readonly exclude: readonly string[];
}

/** The metrics a monitor may name, and the one the loss's node reports (its default mode is then min). */
export interface MonitorContext {
  readonly metrics: readonly { readonly name: string; readonly node: string }[];
  readonly loss: string;
  /** Whether the dataset holds out a validation split, whose metrics a monitor may then watch. */
  readonly validation: boolean;
}

export type IrClip = { readonly globalNorm: number } | { readonly value: number };

type Report = <C extends Code>(code: C, params: ParamsOf<C>, path: string, prefer?: 'value' | 'key') => void;

const PATH = '/train/learning_rate_schedule';

/** The schedule in the runtime's form; undefined for constant (or none), or when a problem was reported. */
export function analyzeSchedule(s: LearningRateScheduleSpec | undefined, steps: number, report: Report, metrics: MonitorContext): IrLearningRateSchedule | undefined {
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
    case 'reduce_on_plateau': {
      const watched = need('monitor', 'the metric watched, e.g. test.cost');
      if (watched === undefined) return undefined;
      const monitor = analyzeMonitor(watched, s.mode, s.min_delta ?? PLATEAU_DEFAULTS.min_delta, `${PATH}/monitor`, report, metrics);
      if (!monitor) return undefined;
      return {
        type: s.type,
        ...monitor,
        factor: s.factor ?? PLATEAU_DEFAULTS.factor,
        patience: s.patience ?? PLATEAU_DEFAULTS.patience,
        cooldown: s.cooldown ?? PLATEAU_DEFAULTS.cooldown,
        minLr: s.min_lr ?? PLATEAU_DEFAULTS.min_lr,
      };
    }
  }
}

/**
 * `split.metric` checked against the metrics (GC570) and the splits (GC575: validation.* needs
 * a validation split); the mode defaults to min for the loss's metric, max for others.
 */
function analyzeMonitor(monitor: string, mode: MonitorMode | undefined, minDelta: number, path: string, report: Report, context: MonitorContext): IrMonitor | undefined {
  const splits = context.validation ? ['test', 'train', 'validation'] : ['test', 'train'];
  const allowed = context.metrics.flatMap((m) => splits.map((split) => `${split}.${m.name}`));
  if (!context.validation && context.metrics.some((m) => monitor === `validation.${m.name}`)) {
    report('GC575', { monitor }, path);
    return undefined;
  }
  if (!allowed.includes(monitor)) {
    report('GC570', { monitor, suggestion: suggest(monitor, allowed), allowed }, path);
    return undefined;
  }
  const metric = context.metrics.find((m) => monitor.endsWith(`.${m.name}`) && monitor.length === m.name.length + monitor.indexOf('.') + 1)!;
  return { monitor, mode: mode ?? (metric.node === context.loss ? 'min' : 'max'), minDelta };
}

/** Early stopping in the runtime's form; undefined for none, or when a problem was reported. */
export function analyzeEarlyStopping(e: EarlyStoppingSpec | undefined, report: Report, context: MonitorContext): IrEarlyStopping | undefined {
  if (!e) return undefined;
  const monitor = analyzeMonitor(e.monitor, e.mode, e.min_delta ?? EARLY_STOPPING_DEFAULTS.min_delta, '/train/early_stopping/monitor', report, context);
  return monitor ? { ...monitor, patience: e.patience } : undefined;
}

/** Weight decay with its defaults written out; undefined for none or a rate of 0 (off). */
export function analyzeWeightDecay(w: WeightDecaySpec | undefined): IrWeightDecay | undefined {
  if (!w || w.rate === 0) return undefined;
  return { rate: w.rate, variables: w.variables ?? WEIGHT_DECAY_DEFAULTS.variables, exclude: w.exclude ?? WEIGHT_DECAY_DEFAULTS.exclude };
}

/** Micro-batches (gradient accumulation); GC571 when they do not divide the batch. Undefined for 1 (none). */
export function analyzeMicroBatches(micro: number | undefined, batchSize: number, report: Report): number | undefined {
  if (micro === undefined || micro === 1) return undefined;
  if (batchSize % micro !== 0) {
    report('GC571', { microBatches: micro, batchSize }, '/train/micro_batches');
    return undefined;
  }
  return micro;
}

/** Clipping in the runtime's form; undefined for none or a global norm of 0 (off). */
export function analyzeClip(clip: ClipSpec | undefined): IrClip | undefined {
  if (!clip) return undefined;
  if ('value' in clip) return { value: clip.value };
  return clip.global_norm > 0 ? { globalNorm: clip.global_norm } : undefined;
}
