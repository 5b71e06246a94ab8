/**
 * A compiled model's schedule in a page: the trainer's loop (trainer.ts)
 * without what a page does not have — files, a run folder, worker threads,
 * signals. Same session, same batches, same random streams; the resumption,
 * the step's read-back and the log line are the trainer's own (loop.ts), so on the same backend a page's numbers are `graphc run`'s; the
 * checkpoint it keeps after every evaluation (and on pause) is the same
 * format, resumed exactly.
 */
import { parseLogTemplate } from '../../common/log-template.js';
import { encodeCheckpoint, type Checkpoint, type CheckpointHeader } from '../checkpoint_format.js';
import type { DataSet } from '../data/dataset.js';
import type { CompiledModel } from '../model.js';
import { platform } from '../platform/platform.js';
import type { RandomStream } from '../random.js';
import type { Evaluation } from '../run_folder.js';
import { evaluationLine, readStepMetrics, resumeFrom } from '../loop.js';
import { INITIAL_EARLY_STOPPING, initialPlateau, monitoredValue, stepEarlyStopping, stepPlateau, type EarlyStoppingState, type PlateauState } from '../monitor.js';
import { toCheckpoint } from '../session_checkpoint.js';
import { TrainingSession } from '../session.js';
import type { PageBackend } from './backend.js';

export type PageSchedule = CheckpointHeader['schedule'];

export interface PageRunOptions {
  readonly backend: PageBackend;
  readonly seed: number;
  readonly schedule: PageSchedule;
  /** The spec's path as `graphc bundle` was given it: the checkpoint's `source`, which `graphc eval` recompiles. */
  readonly source: string;
  readonly data: { readonly train: DataSet; readonly test: DataSet; readonly random: RandomStream };
  /** Continue from this checkpoint (the page's IndexedDB copy). */
  readonly resume?: Checkpoint;
  /** Pauses after the current step (with a checkpoint of it). */
  readonly signal?: AbortSignal;
  readonly onStep?: (step: number, seconds: number) => void;
  /** After every evaluation: its log line and the checkpoint's bytes. */
  readonly onEvaluation?: (evaluation: Evaluation, line: string, checkpoint: Uint8Array) => void | Promise<void>;
  /** When paused or finished: the last state's checkpoint, if it is newer than the last evaluation's. */
  readonly onSave?: (checkpoint: Uint8Array) => void | Promise<void>;
}

export interface PageRun<F, V, N> {
  /** The trained session, kept for predictions (the caller disposes it). */
  readonly session: TrainingSession<F, V, N>;
  readonly evaluations: readonly Evaluation[];
  readonly paused: boolean;
  /** The step early stopping ended training at, when it did. */
  readonly stoppedEarly?: number;
}

export async function trainInPage<F, V, N>(model: CompiledModel<F, V, N>, options: PageRunOptions): Promise<PageRun<F, V, N>> {
  const { backend, seed, schedule, data, source } = options;
  const session = new TrainingSession(model, seed);
  const evaluations: Evaluation[] = [];
  if (options.resume) {
    resumeFrom(session, options.resume, data, data.random);
    evaluations.push(...(options.resume.header.evaluations as Evaluation[]));
  }
  const logParts = parseLogTemplate(model.schedule.log);
  const computed = { backend: backend.name, device: backend.device, workers: 1 };
  // What the spec watches after each evaluation, as the trainer does: a plateau of the learning rate, early stopping (monitor.ts).
  const plateauConfig = model.schedule.learningRateSchedule?.type === 'reduce_on_plateau' ? model.schedule.learningRateSchedule : undefined;
  const stopping = model.schedule.earlyStopping;
  const resumed = options.resume?.header.monitors;
  let plateau: PlateauState | undefined = plateauConfig ? (resumed?.plateau ?? initialPlateau(model.schedule.optimizer.learningRate)) : undefined;
  let earlyStopping: EarlyStoppingState | undefined = stopping ? (resumed?.earlyStopping ?? INITIAL_EARLY_STOPPING) : undefined;
  if (plateau) session.setPlateauRate(plateau.rate);
  let stoppedEarly: number | undefined;
  const checkpoint = async (): Promise<Uint8Array> => {
    const monitors = { ...(plateau ? { plateau } : {}), ...(earlyStopping ? { earlyStopping } : {}) };
    return encodeCheckpoint(toCheckpoint(model, source, seed, schedule, await session.readState(), data.random, data, evaluations, undefined, computed, monitors));
  };

  let savedAt = session.step;
  let passStart = performance.now();
  for (let step = session.step + 1; stoppedEarly === undefined && step <= schedule.steps; step++) {
    if (options.signal?.aborted) break;
    const started = performance.now();
    const metrics = session.trainStep(data.train.nextBatch(schedule.batchSize));
    const logged = step % schedule.evalEvery === 0;
    const train = await readStepMetrics(session, metrics, step, { logged, backend: backend.name, lossNode: model.schedule.loss });
    // Unread (webgpu), the step is still waited for, so that onStep's seconds are the step's.
    if (!train) await metrics.data();
    if (logged) {
      const test = (await session.evaluateAsync(data.test, schedule.evalBatches, schedule.evalBatchSize))!;
      const evaluation: Evaluation = { step, train: train!, test, elapsed: (performance.now() - passStart) / 1000 };
      evaluations.push(evaluation);
      if (plateau && plateauConfig) {
        plateau = stepPlateau(plateauConfig, plateau, monitoredValue(plateauConfig, evaluation));
        session.setPlateauRate(plateau.rate);
      }
      if (earlyStopping && stopping) {
        const seen = stepEarlyStopping(stopping, earlyStopping, monitoredValue(stopping, evaluation), step);
        earlyStopping = seen.state;
        if (seen.stop) stoppedEarly = step;
      }
      savedAt = step;
      await options.onEvaluation?.(evaluation, evaluationLine(logParts, evaluation), await checkpoint());
      passStart = performance.now();
    }
    metrics.dispose();
    options.onStep?.(step, (performance.now() - started) / 1000);
    // The page draws, and the pause button's click runs, between steps.
    await platform().yieldToEvents();
  }
  if (savedAt !== session.step) await options.onSave?.(await checkpoint());
  return { session, evaluations, paused: stoppedEarly === undefined && session.step < schedule.steps, ...(stoppedEarly !== undefined ? { stoppedEarly } : {}) };
}
