/** The diagnostics of the training section: optimizers, schedules, clipping, monitors, batches. */
import { didYouMean, entry, list, plural } from './entry.js';

export const trainingDiagnostics = {
  // GC320–GC329: the training knobs (learning-rate schedule, clipping), checked once params are substituted
  GC320: entry<{ schedule: string; key: string; meaning: string }>('error', 'schedule_missing_key', (p) =>
    `learning_rate_schedule of type ${p.schedule} needs '${p.key}' (${p.meaning})`),
  GC321: entry<{ warmup: number; steps: number }>('error', 'warmup_longer_than_run', (p) =>
    `warmup_steps ${p.warmup} is longer than the run (${plural(p.steps, 'step')}): the rate would never leave the warm-up`),
  GC322: entry<{ index: number; boundary: number; previous: number }>('error', 'boundaries_not_increasing', (p) =>
    `piecewise_constant boundaries must increase: boundaries[${p.index}] = ${p.boundary} does not exceed boundaries[${p.index - 1}] = ${p.previous}`),
  GC323: entry<{ values: number; boundaries: number }>('error', 'piecewise_values_count', (p) =>
    `piecewise_constant has ${plural(p.values, 'value')} for ${plural(p.boundaries, 'boundary').replace(/ys$/, 'ies')}; it needs ${p.boundaries + 1} (one more than boundaries)`),

  // train-loop: GC570–GC589 the training knobs checked at compile time, GC724–GC729 at run time
  GC570: entry<{ monitor: string; suggestion?: string; allowed: readonly string[] }>('error', 'unknown_monitor_metric', (p) =>
    `monitor '${p.monitor}' is not a metric of this spec${didYouMean(p.suggestion)}; it can watch ${list(p.allowed)}`),
  GC571: entry<{ microBatches: number; batchSize: number }>('error', 'micro_batches_not_dividing', (p) =>
    `micro_batches ${p.microBatches} does not divide batch_size ${p.batchSize}: every micro-batch must have the same number of rows`),
  GC572: entry<{ knob: 'clip' | 'weight_decay'; node: string }>('error', 'nothing_to_regularise', (p) =>
    `${p.knob === 'clip' ? 'clipping' : 'weight decay'} on a loss with no gradients: '${p.node}' depends on no variable, so there is nothing to ${p.knob === 'clip' ? 'clip' : 'decay'}`),
  GC573: entry<{ op: string; weights: number; classes: number }>('error', 'class_weights_count', (p) =>
    `${p.op}: class_weights has ${plural(p.weights, 'weight')} for ${plural(p.classes, 'class').replace(/classs$/, 'classes')}; it needs one per class`),

  // train-loop2: GC574–GC588 at compile time (GC726–GC728 at run time: running.ts)
  GC574: entry<{ op: string; node: string }>('error', 'balanced_without_classes', (p) =>
    `${p.op} '${p.node}': class_weights: balanced counts the training split's classes, but this dataset's label has none (a regression target, or no label.classes); give the weights as a list, or declare label.classes`),
  GC575: entry<{ monitor: string }>('error', 'no_validation_split', (p) =>
    `'${p.monitor}' watches the validation split, but this dataset holds none out: set dataset.validation to the number of leading training examples to hold out, or watch a test.* metric`),
} as const;
