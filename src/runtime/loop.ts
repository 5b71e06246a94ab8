/**
 * What the trainer's loop (trainer.ts, under Node) and a page's
 * (browser/train.ts) do alike, written once so that they cannot drift apart:
 * resuming a session and its data from a checkpoint, reading a step's metrics
 * back (and stopping on a non-finite loss), and an evaluation's log line.
 * Imports nothing of Node.
 */
import { fail } from '../common/diagnostics/diagnostic.js';
import { formatLogLine, type LogPart } from '../common/log-template.js';
import type { Checkpoint } from './checkpoint_format.js';
import type { DataSet } from './data/dataset.js';
import type { RandomStream } from './random.js';
import type { Evaluation } from './run_folder.js';
import { restoreSession } from './session_checkpoint.js';
import type { TrainingSession } from './session.js';
import type { tf } from './tf.js';

/** Restores the session, the data's order and the stream that shuffles it from a checkpoint, to continue exactly. */
export function resumeFrom<F, V, N>(
  session: TrainingSession<F, V, N>,
  checkpoint: Checkpoint,
  data: { readonly train: DataSet; readonly test: DataSet },
  dataRandom: RandomStream,
): void {
  restoreSession(session, checkpoint);
  data.train.setState(checkpoint.header.data.train);
  data.test.setState(checkpoint.header.data.test);
  dataRandom.setState(checkpoint.header.random.data);
}

/**
 * A training step's metrics, read back when the step is logged (with the
 * step's learning rate and gradient norm, when the spec schedules or clips),
 * and on the CPU backends after every step, where reading one scalar is cheap,
 * so that a non-finite loss stops the run at once (GC703); a GPU would stall on
 * every read, so there it is checked when logged. Undefined when not read.
 */
export async function readStepMetrics<F, V, N>(
  session: TrainingSession<F, V, N>,
  metrics: tf.Tensor1D,
  step: number,
  how: { readonly logged: boolean; readonly backend: string; readonly lossNode: string },
): Promise<Record<string, number> | undefined> {
  const lossIndex = session.lossMetricIndex;
  if (!how.logged && (lossIndex < 0 || how.backend === 'webgpu')) return undefined;
  const train = await session.readMetricsAsync(metrics);
  const loss = lossIndex >= 0 ? train[session.metricNames[lossIndex]!]! : 0;
  if (!Number.isFinite(loss)) fail('GC703', { step, node: how.lossNode, value: String(loss) });
  return how.logged ? { ...train, ...(await session.readTrainingStats()) } : train;
}

/** The spec's log line (train.log) for an evaluation. */
export function evaluationLine(parts: readonly LogPart[], e: Evaluation): string {
  const values: Record<string, number> = { step: e.step, elapsed: e.elapsed };
  for (const [k, v] of Object.entries(e.train)) values[`train.${k}`] = v;
  for (const [k, v] of Object.entries(e.test)) values[`test.${k}`] = v;
  for (const [k, v] of Object.entries(e.validation ?? {})) values[`validation.${k}`] = v;
  return formatLogLine(parts, values);
}
