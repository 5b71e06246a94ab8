/**
 * 'graphc/runtime' as a bundled page sees it (graphc bundle maps the import
 * there): the same layers, kernels and tfjs instance as under Node, without
 * the Node-only trainer. The generated module's `run()` is the one thing a
 * page does not call; the page trains with trainInPage (train.ts).
 */
import { fail } from '../../common/diagnostics/diagnostic.js';

export { tf } from '../tf.js';
export * as rnn from '../rnn/index.js';
export * as nn from '../nn.js';
export * as losses from '../losses.js';
export * as metrics from '../metrics.js';
export { Initializer, type InitializerSpec } from '../init.js';
export { RandomStream } from '../random.js';
export type { Evaluation, RunSummary } from '../run_folder.js';
export type { RunOptions, RunResult } from '../trainer.js';
export type { AnyCompiledModel, Batch, CompiledModel, ForwardContext, ModelMemory, OptimizerConfig, Phase, ScalarNode, Schedule } from '../model.js';

/** The generated module's `run()`: a page trains with trainInPage instead. */
export function runModel(): never {
  return fail('GC840', {});
}
