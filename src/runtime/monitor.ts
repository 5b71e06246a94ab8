/**
 * What the trainer does with a metric after each evaluation: reduce the
 * learning rate on a plateau (PyTorch's ReduceLROnPlateau, threshold_mode
 * 'abs') and stop early (Keras's EarlyStopping). Both are plain data in,
 * plain data out, so their state goes into the checkpoint as JSON and a
 * resumed run continues them exactly.
 */
import type { Evaluation } from './run_folder.js';

/** A metric as `split.metric` (validation.acc, test.acc, train.cost), and which way is better. */
export interface MonitorConfig {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  /** An improvement must beat the best by more than this. */
  readonly minDelta: number;
}

export interface PlateauConfig extends MonitorConfig {
  readonly type: 'reduce_on_plateau';
  readonly factor: number;
  readonly patience: number;
  readonly cooldown: number;
  readonly minLr: number;
}

export interface EarlyStoppingConfig extends MonitorConfig {
  readonly patience: number;
}

export interface PlateauState {
  /** The best value so far; null before the first evaluation. */
  readonly best: number | null;
  /** Evaluations since the last improvement (PyTorch's num_bad_epochs). */
  readonly bad: number;
  /** Evaluations of rest left after a drop. */
  readonly cooldown: number;
  /** The learning rate now. */
  readonly rate: number;
}

export interface EarlyStoppingState {
  readonly best: number | null;
  readonly bestStep: number | null;
  /** Evaluations since the best one. */
  readonly wait: number;
}

/** The monitored value of an evaluation; the compiler has checked the name. */
export function monitoredValue(config: MonitorConfig, evaluation: Evaluation): number {
  const dot = config.monitor.indexOf('.');
  const split = config.monitor.slice(0, dot) as 'train' | 'test' | 'validation';
  const value = evaluation[split]?.[config.monitor.slice(dot + 1)];
  if (value === undefined) throw new Error(`monitor: evaluation at step ${evaluation.step} has no ${config.monitor}`);
  return value;
}

/** Whether a monitor watches the validation split (the trainer then evaluates on it). */
export function watchesValidation(config: MonitorConfig | undefined): boolean {
  return config?.monitor.startsWith('validation.') === true;
}

/** Whether `value` beats `best` by more than min_delta in the monitor's direction (a NaN never does). */
export function improves(config: MonitorConfig, value: number, best: number | null): boolean {
  if (Number.isNaN(value)) return false;
  if (best === null) return true;
  return config.mode === 'min' ? value < best - config.minDelta : value > best + config.minDelta;
}

export function initialPlateau(rate: number): PlateauState {
  return { best: null, bad: 0, cooldown: 0, rate };
}

/**
 * One ReduceLROnPlateau.step(value): a better value resets the count of bad
 * evaluations; during cooldown they are not counted; more than `patience` of
 * them multiply the rate by `factor` (not below min_lr) and start a cooldown.
 */
export function stepPlateau(config: PlateauConfig, state: PlateauState, value: number): PlateauState {
  let { best, bad, cooldown, rate } = state;
  if (improves(config, value, best)) {
    best = value;
    bad = 0;
  } else {
    bad++;
  }
  if (cooldown > 0) {
    cooldown--;
    bad = 0;
  }
  if (bad > config.patience) {
    const reduced = Math.max(rate * config.factor, config.minLr);
    // PyTorch ignores a change smaller than its eps (1e-8): the rate is then at min_lr already.
    if (rate - reduced > 1e-8) rate = reduced;
    cooldown = config.cooldown;
    bad = 0;
  }
  return { best, bad, cooldown, rate };
}

export const INITIAL_EARLY_STOPPING: EarlyStoppingState = { best: null, bestStep: null, wait: 0 };

/** One evaluation seen by early stopping: whether it is the best so far (keep its checkpoint) and whether to stop now. */
export function stepEarlyStopping(config: EarlyStoppingConfig, state: EarlyStoppingState, value: number, step: number): { state: EarlyStoppingState; best: boolean; stop: boolean } {
  if (improves(config, value, state.best)) return { state: { best: value, bestStep: step, wait: 0 }, best: true, stop: false };
  const wait = state.wait + 1;
  return { state: { ...state, wait }, best: false, stop: wait >= config.patience };
}
