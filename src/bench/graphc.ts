/** graphc's side of a bench: a compiled model's TrainingSession, stepped through the shared timing loop. */
import type { DataSet } from '../runtime/data/index.js';
import type { AnyCompiledModel } from '../runtime/model.js';
import { TrainingSession } from '../runtime/session.js';
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
): Promise<{ times: PhaseTimes; parameters: number }> {
  const session = new TrainingSession(model, seed);
  const parameters = session.trainable.reduce((n, v) => n + v.size, 0);
  try {
    const times = await timePhases(
      {
        trainStep: () => {
          const metrics = session.trainStep(data.train.nextBatch(plan.batchSize));
          session.readMetrics(metrics);
          metrics.dispose();
        },
        evalBatch: () => {
          session.measure('eval', data.test.nextBatch(plan.evalBatchSize));
        },
      },
      plan,
      onProgress,
    );
    return { times, parameters };
  } finally {
    session.dispose();
  }
}
