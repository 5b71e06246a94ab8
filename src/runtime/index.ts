/**
 * 'graphc/runtime': what generated modules import. `tf` is the one tfjs
 * instance everything shares; `rnn` and `nn` hold the layers the ops lower to,
 * `losses` and `metrics` the fused losses and the metrics.
 */
export { tf } from './tf.js';
export * as rnn from './rnn/index.js';
export * as nn from './nn.js';
export * as losses from './losses.js';
export * as metrics from './metrics.js';
export { Initializer, type InitializerSpec } from './init.js';
export { RandomStream } from './random.js';
export { runModel, DEFAULT_SEED, type RunOptions, type RunResult } from './trainer.js';
export type { Evaluation, RunSummary } from './run_folder.js';
export { initBackend, BACKENDS, type BackendInfo, type BackendName, type BackendRequest } from './backends.js';
export type { AnyCompiledModel, Batch, CompiledModel, ForwardContext, ModelMemory, OptimizerConfig, Phase, ScalarNode, Schedule } from './model.js';
