/**
 * A compiled model's schedule in a page: the trainer's loop (trainer.ts)
 * without what a page does not have — files, a run folder, worker threads,
 * signals. Same session, same batches, same random streams, same metrics and
 * log line, so on the same backend a page's numbers are `graphc run`'s; the
 * checkpoint it keeps after every evaluation (and on pause) is the same
 * format, resumed exactly.
 */
import { fail } from '../../common/diagnostics/diagnostic.js';
import { formatLogLine, parseLogTemplate } from '../../common/log-template.js';
import { encodeCheckpoint, type Checkpoint, type CheckpointHeader } from '../checkpoint_format.js';
import type { DataSet } from '../data/dataset.js';
import type { CompiledModel } from '../model.js';
import { platform } from '../platform/platform.js';
import type { RandomStream } from '../random.js';
import type { Evaluation } from '../run_folder.js';
import { restoreSession, toCheckpoint } from '../session_checkpoint.js';
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
}

export async function trainInPage<F, V, N>(model: CompiledModel<F, V, N>, options: PageRunOptions): Promise<PageRun<F, V, N>> {
  const { backend, seed, schedule, data, source } = options;
  const session = new TrainingSession(model, seed);
  const evaluations: Evaluation[] = [];
  if (options.resume) {
    const { header } = options.resume;
    restoreSession(session, options.resume);
    data.train.setState(header.data.train);
    data.test.setState(header.data.test);
    data.random.setState(header.random.data);
    evaluations.push(...(header.evaluations as Evaluation[]));
  }
  const logParts = parseLogTemplate(model.schedule.log);
  const lossIndex = session.lossMetricIndex;
  const computed = { backend: backend.name, device: backend.device, workers: 1 };
  const checkpoint = async (): Promise<Uint8Array> =>
    encodeCheckpoint(toCheckpoint(model, source, seed, schedule, await session.readState(), data.random, data, evaluations, undefined, computed));

  let savedAt = session.step;
  let passStart = performance.now();
  for (let step = session.step + 1; step <= schedule.steps; step++) {
    if (options.signal?.aborted) break;
    const started = performance.now();
    const metrics = session.trainStep(data.train.nextBatch(schedule.batchSize));
    const logged = step % schedule.evalEvery === 0;
    // As the trainer: the loss is read back every step on wasm (a NaN stops at once), on webgpu when logged.
    if (logged || (lossIndex >= 0 && backend.name !== 'webgpu')) {
      let train = await session.readMetricsAsync(metrics);
      const loss = lossIndex >= 0 ? train[session.metricNames[lossIndex]!]! : 0;
      if (!Number.isFinite(loss)) fail('GC703', { step, node: model.schedule.loss, value: String(loss) });
      if (logged) {
        train = { ...train, ...(await session.readTrainingStats()) };
        const test = (await session.evaluateAsync(data.test, schedule.evalBatches, schedule.evalBatchSize))!;
        const evaluation: Evaluation = { step, train, test, elapsed: (performance.now() - passStart) / 1000 };
        evaluations.push(evaluation);
        savedAt = step;
        await options.onEvaluation?.(evaluation, formatLogLine(logParts, logValues(evaluation)), await checkpoint());
        passStart = performance.now();
      }
    } else {
      await metrics.data();
    }
    metrics.dispose();
    options.onStep?.(step, (performance.now() - started) / 1000);
    // The page draws, and the pause button's click runs, between steps.
    await platform().yieldToEvents();
  }
  if (savedAt !== session.step) await options.onSave?.(await checkpoint());
  return { session, evaluations, paused: session.step < schedule.steps };
}

function logValues(e: Evaluation): Record<string, number> {
  const values: Record<string, number> = { step: e.step, elapsed: e.elapsed };
  for (const [k, v] of Object.entries(e.train)) values[`train.${k}`] = v;
  for (const [k, v] of Object.entries(e.test)) values[`test.${k}`] = v;
  return values;
}
