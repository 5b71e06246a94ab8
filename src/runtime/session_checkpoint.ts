/**
 * A training session and the checkpoint format, both ways: the state a run
 * saves (its session, data order and random streams) as a Checkpoint, and a
 * checkpoint restored onto a session. The trainer (Node) and a bundled page
 * (graphc bundle) share it, so a page's checkpoint.gck is the file a run writes.
 */
import { fail } from '../common/diagnostics/diagnostic.js';
import { CheckpointMismatch } from './checkpoint_mismatch.js';
import { CHECKPOINT_VERSION, PayloadBuilder, tensorValues, type Checkpoint, type CheckpointHeader, type PendingEvaluation } from './checkpoint_format.js';
import type { DataSet } from './data/dataset.js';
import type { CompiledModel } from './model.js';
import type { RandomStream } from './random.js';
import type { Evaluation } from './run_folder.js';
import type { SessionState, TrainingSession } from './session.js';

type Schedule = CheckpointHeader['schedule'];

export function restoreSession<F, V, N>(session: TrainingSession<F, V, N>, checkpoint: Checkpoint): void {
  const { header } = checkpoint;
  const values = (entry: CheckpointHeader['variables'][number]) => ({ name: entry.name, shape: entry.shape, values: tensorValues(checkpoint, entry) });
  const state: SessionState = {
    step: header.step,
    variables: header.variables.map(values),
    state: (header.state ?? []).map(values),
    optimizer: { type: header.optimizer.type, step: header.optimizer.step, variables: header.optimizer.variables, slots: header.optimizer.slots.map(values) },
    dropout: header.random.dropout,
  };
  try {
    session.setState(state);
  } catch (error) {
    fail('GC708', error instanceof CheckpointMismatch ? { kind: 'variables', problem: error.problem } : { kind: 'optimizer_state', optimizerMessage: error instanceof Error ? error.message : String(error) });
  }
}

export function toCheckpoint<F, V, N>(
  model: CompiledModel<F, V, N>,
  source: string,
  seed: number,
  schedule: Schedule,
  state: SessionState,
  dataRandom: RandomStream,
  data: { readonly train: DataSet; readonly test: DataSet },
  evaluations: readonly Evaluation[],
  pendingEvaluation: PendingEvaluation | undefined,
  computed: NonNullable<CheckpointHeader['computed']>,
  monitors: NonNullable<CheckpointHeader['monitors']> = {},
  classWeights?: readonly number[],
): Checkpoint {
  const payload = new PayloadBuilder();
  const variables = state.variables.map((v) => payload.add(v.name, v.shape, v.values));
  const stateEntries = state.state.map((v) => payload.add(v.name, v.shape, v.values));
  const slots = state.optimizer.slots.map((s) => payload.add(s.name, s.shape, s.values));
  const header: CheckpointHeader = {
    format: 'graphc-checkpoint',
    version: CHECKPOINT_VERSION,
    model: model.name,
    source,
    params: model.params,
    seed,
    step: state.step,
    schedule,
    variables,
    // Only models with state write the field, so other models' checkpoints are as before.
    ...(stateEntries.length > 0 ? { state: stateEntries } : {}),
    optimizer: { type: state.optimizer.type, step: state.optimizer.step, variables: state.optimizer.variables, slots },
    random: { dropout: state.dropout, data: dataRandom.getState() },
    data: { train: data.train.getState(), test: data.test.getState() },
    evaluations,
    computed,
    ...(pendingEvaluation ? { pendingEvaluation } : {}),
    // Only specs that watch a metric write the field, so other checkpoints are as before.
    ...(Object.keys(monitors).length > 0 ? { monitors } : {}),
    ...(classWeights ? { classWeights } : {}),
  };
  return { header, payload: payload.build() };
}

/** Starts a session from another checkpoint's weights (graphc run --init): its variables and state, not its step or optimizer. */
export function initSession<F, V, N>(session: TrainingSession<F, V, N>, checkpoint: Checkpoint, file: string, spec: string): void {
  const values = (entry: CheckpointHeader['variables'][number]) => ({ name: entry.name, shape: entry.shape, values: tensorValues(checkpoint, entry) });
  try {
    session.loadWeights(checkpoint.header.variables.map(values), (checkpoint.header.state ?? []).map(values));
  } catch (error) {
    if (!(error instanceof CheckpointMismatch)) throw error;
    fail('GC805', { file, spec, problem: error.problem });
  }
}
