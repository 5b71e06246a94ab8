/** A run folder opened for inference: its checkpoint, the graph it was trained as, and the model with its weights. */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { compileSpec } from '../compiler/index.js';
import { fail, GraphcError } from '../common/diagnostics/diagnostic.js';
import type { IrGraph } from '../compiler/2-ir/graph.js';
import { readCheckpoint, readCheckpointFile, type Checkpoint } from '../runtime/checkpoint.js';
import { chooseCheckpoint, type CheckpointChoice } from '../runtime/run_folder.js';
import { CheckpointMismatch, TrainedModel } from '../runtime/inference.js';
import type { tf } from '../runtime/tf.js';

/** A trained model whose types are known only at run time (as AnyCompiledModel). */
export type AnyTrainedModel = TrainedModel<unknown, unknown, Record<string, tf.Tensor>>;
import { importModule } from '../tools/modules.js';
import { checkpointOverrides, moduleForCheckpoint } from './compiled-module.js';

export interface TrainedRun {
  readonly dir: string;
  readonly checkpoint: Checkpoint;
  /** Which of the run's checkpoints it is: best.gck or checkpoint.gck ('last' for a checkpoint file named directly). */
  readonly which: CheckpointChoice;
  /** The checkpoint's file name: best.gck, checkpoint.gck, or the .gck file given instead of a run folder. */
  readonly file: string;
  /** Whether `dir` named a checkpoint file (graphc import's NAME.gck) rather than a run folder. */
  readonly checkpointFile: boolean;
  /** The IR of the spec with the params the run was trained with. */
  readonly graph: IrGraph;
  readonly trained: AnyTrainedModel;
}

/**
 * `which`: the --checkpoint option; absent, best.gck when the run kept one, else checkpoint.gck (runtime/run_folder.ts).
 * `dir` may also be a checkpoint file, such as the NAME.gck graphc import writes beside its spec.
 */
export async function openTrainedRun(dir: string, outDir: string, which?: CheckpointChoice): Promise<TrainedRun> {
  const isFile = statSync(dir, { throwIfNoEntry: false })?.isFile() === true;
  const chosen = isFile ? { which: 'last' as const, file: basename(dir) } : chooseCheckpoint(dir, which);
  const checkpoint = isFile ? readCheckpointFile(dir) : readCheckpoint(dir, chosen.file);
  const source = checkpoint.header.source;
  const compiled = compileSpec(source, { set: checkpointOverrides(checkpoint), checkOnly: true });
  if (!compiled.graph) throw new GraphcError(compiled.diagnostics, new Map([[source, compiled.text ?? '']]));
  const module = await importModule(moduleForCheckpoint(checkpoint, { outDir }));
  let trained: AnyTrainedModel;
  try {
    trained = new TrainedModel(module.model, checkpoint);
  } catch (error) {
    if (error instanceof CheckpointMismatch) fail('GC757', { dir, spec: source, problem: error.problem });
    throw error;
  }
  return { dir, checkpoint, which: chosen.which, file: chosen.file, checkpointFile: isFile, graph: compiled.graph, trained };
}

/** The --checkpoint option of eval, predict and export. */
export const CHECKPOINT_OPTION_HELP = "which checkpoint: best (best.gck, kept by early stopping) or last (checkpoint.gck); default best when the run has one";

/** The line that says which checkpoint a command read, e.g. "graphc: checkpoint best.gck (step 300)". */
export function checkpointLine(run: TrainedRun): string {
  const imported = run.checkpoint.header.imported;
  if (run.checkpointFile) return `graphc: checkpoint ${run.dir} (step ${run.checkpoint.header.step}${imported ? `, imported from ${imported.from}` : ''}; spec ${run.checkpoint.header.source})`;
  return `graphc: checkpoint ${run.which === 'best' ? 'best.gck' : 'checkpoint.gck'} (${run.which}, step ${run.checkpoint.header.step})`;
}
