/**
 * Hand-written tfjs-layers baselines: the network each spec in graphs/
 * describes, written as a tfjs user would (tf.layers, model.compile,
 * model.trainOnBatch, model.evaluate), with the spec's sizes, batch and
 * optimizer. They are meant to be idiomatic and honest: library defaults, no
 * deliberate slowness. Keyed by the spec's `name`.
 *
 * A baseline run is a JSON-serialisable BaselineRequest answered by a
 * BaselineResult, so a BaselineRunner can also run it in a child process (for
 * instance to keep stock tfjs kernels once graphc registers its own); the
 * in-process runner is the one used today.
 */
export { BASELINES, findBaseline } from './registry.js';
export type { BaselineDefinition } from './definition.js';
export type { SpecParams } from './params.js';
export { inProcessRunner, runBaseline, type BaselineRequest, type BaselineResult, type BaselineRunner } from './runner.js';
