/**
 * graphc's side of a bench: a compiled model's TrainingSession, stepped
 * through the shared timing loop (split across worker threads with workers > 1).
 */
import type { BackendName } from '../../runtime/backends.js';
import type { DataSet } from '../../runtime/data/index.js';
import type { AnyCompiledModel } from '../../runtime/model.js';
import { createStepper } from '../../runtime/parallel/pool.js';
import { checkBatches, checkMemory, clampWorkers } from '../../runtime/preflight.js';
import { TrainingSession } from '../../runtime/session.js';
import { timePhases, type PhaseTimes, type TimingPhase, type TimingPlan } from './timing.js';

export interface BenchData {
  readonly train: DataSet;
  readonly test: DataSet;
}

export async function timeGraphc(
  model: AnyCompiledModel,
  data: BenchData,
  plan: TimingPlan,
  seed: number,
  onProgress?: (phase: TimingPhase, done: number, total: number) => void,
  parallel: { readonly workers: number; readonly backend: BackendName } = { workers: 1, backend: 'wasm' },
): Promise<{ times: PhaseTimes; parameters: number }> {
  // As graphc run does before step 1: a batch beyond the data or a model beyond the memory is a diagnostic, not a crash.
  checkBatches({ ...plan, evalBatchOption: '--batch-size' }, { train: data.train.count, test: data.test.count }, () => {});
  const workers = clampWorkers(parallel.workers, plan.batchSize, (line) => process.stderr.write(`${line}\n`));
  checkMemory(model.memory, { backend: parallel.backend, batchSize: Math.max(plan.batchSize, plan.evalBatchSize), workers });
  const session = new TrainingSession(model, seed);
  const parameters = session.trainable.reduce((n, v) => n + v.size, 0);
  const stepper = await createStepper(session, { ...parallel, workers, moduleUrl: model.url });
  try {
    const times = await timePhases(
      {
        trainStep: async () => {
          const metrics = await stepper.trainStep(data.train.nextBatch(plan.batchSize));
          await session.readMetricsAsync(metrics);
          metrics.dispose();
        },
        // Read back asynchronously: webgpu has no synchronous read outside a browser.
        evalBatch: async () => {
          await session.evaluateAsync(data.test, 1, plan.evalBatchSize);
        },
      },
      plan,
      onProgress,
    );
    return { times, parameters };
  } finally {
    await stepper.close();
    session.dispose();
  }
}
