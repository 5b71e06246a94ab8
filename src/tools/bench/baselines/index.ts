/**
 * Hand-written tfjs-layers baselines: the network each spec in graphs/
 * describes, written as a tfjs user would (tf.layers, model.compile,
 * model.trainOnBatch, model.evaluate), with the spec's sizes, batch and
 * optimizer. They are meant to be idiomatic and honest: library defaults, no
 * deliberate slowness. Keyed by the spec's `name`.
 *
 * A baseline run is a JSON-serialisable BaselineRequest answered by a
 * BaselineResult, so that it can run in a child process on tfjs's stock
 * kernels (child.ts), which is how graphc bench runs it: graphc's kernels
 * replace tfjs's for the whole process that registers them.
 */
export { BASELINES, findBaseline } from './registry.js';
export type { BaselineDefinition } from './definition.js';
export type { SpecParams } from './params.js';
export { childProcessRunner } from './child.js';
export { inProcessRunner, runBaseline, type BaselineRequest, type BaselineResult, type BaselineRunner } from './runner.js';
