/**
 * The one timing loop graphc and its baselines both go through, so they are
 * measured the same way: warm-up steps and a warm-up evaluation batch
 * untimed, then each training step and each evaluation batch timed on its own
 * (wall clock, including making the batch's tensors and reading the metrics
 * back, as the seed's sess.run did).
 */

export interface TimingPlan {
  /** Untimed training steps first (kernel setup, first-call costs), plus one untimed evaluation batch. */
  readonly warmup: number;
  readonly steps: number;
  readonly evalBatches: number;
  readonly batchSize: number;
  readonly evalBatchSize: number;
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
  const train = await timeEach(plan.steps, () => model.trainStep(), (done) => onProgress?.('train', done, plan.steps));
  const evaluation = await timeEach(plan.evalBatches, () => model.evalBatch(), (done) => onProgress?.('eval', done, plan.evalBatches));
  return { train, eval: evaluation };
}

async function timeEach(count: number, run: () => void | Promise<void>, onProgress: (done: number) => void): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    onProgress(i);
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  onProgress(count);
  return times;
}
