/**
 * The one timing loop graphc and its baselines both go through, so they are
 * measured the same way: warm-up steps and a warm-up evaluation batch
 * untimed, then each training step and each evaluation batch timed on its own
 * (including making the batch's tensors and reading the metrics back, as the
 * reference notebook's sess.run did).
 *
 * Two clocks: `wall` (elapsed time, what the reference notebook measured, and the only one
 * that sees a GPU's work) and `cpu` (this process's CPU time, user + system).
 * On a machine shared with other work, wall time also counts the time other
 * processes hold the cores; CPU time of a single-threaded backend (wasm, cpu)
 * does not, so it is the steadier measure there.
 */

export const CLOCKS = ['wall', 'cpu'] as const;
export type Clock = (typeof CLOCKS)[number];

/** Milliseconds now on a clock (an arbitrary origin; only differences mean anything). */
export function clockMs(clock: Clock): number {
  if (clock === 'wall') return performance.now();
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export interface TimingPlan {
  /** Untimed training steps first (kernel setup, first-call costs), plus one untimed evaluation batch. */
  readonly warmup: number;
  readonly steps: number;
  readonly evalBatches: number;
  readonly batchSize: number;
  readonly evalBatchSize: number;
  readonly clock: Clock;
}

export interface PhaseTimes {
  /** Milliseconds per training step, in order. */
  readonly train: number[];
  /** Milliseconds per evaluation batch, in order. */
  readonly eval: number[];
}

export type TimingPhase = 'warm-up' | 'train' | 'eval';

export interface TimedModel {
  /** One training step on a fresh batch, its metrics read back. */
  trainStep(): void | Promise<void>;
  /** One evaluation batch, its metrics read back. */
  evalBatch(): void | Promise<void>;
}

export async function timePhases(model: TimedModel, plan: TimingPlan, onProgress?: (phase: TimingPhase, done: number, total: number) => void): Promise<PhaseTimes> {
  for (let i = 0; i < plan.warmup; i++) {
    onProgress?.('warm-up', i, plan.warmup);
    await model.trainStep();
  }
  if (plan.warmup > 0) await model.evalBatch();
  const train = await timeEach(plan.steps, plan.clock, () => model.trainStep(), (done) => onProgress?.('train', done, plan.steps));
  const evaluation = await timeEach(plan.evalBatches, plan.clock, () => model.evalBatch(), (done) => onProgress?.('eval', done, plan.evalBatches));
  return { train, eval: evaluation };
}

async function timeEach(count: number, clock: Clock, run: () => void | Promise<void>, onProgress: (done: number) => void): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    onProgress(i);
    const start = clockMs(clock);
    await run();
    times.push(clockMs(clock) - start);
  }
  onProgress(count);
  return times;
}
