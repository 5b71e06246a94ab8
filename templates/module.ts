/**
 * HEADER
 */
import { tf, runModel, type Batch, type CompiledModel, type ForwardContext, type Initializer, type ModelMemory, type Phase, type RunOptions, type RunResult, type Schedule } from 'graphc/runtime';

/** The spec this module was compiled from: its path from this module's folder, and the SHA-256 of its text. */
export const spec = {} as const;

/** The params this module was compiled with. */
export const params = {} as const;

/** What the placeholders receive at each step. */
export interface Feeds {}

/** The trainable variables, by the node that owns them. */
export interface Variables {}

/** Every node's value after a forward pass. */
export interface Nodes {}

/** Creates the variables with the spec's initializers. */
export function createVariables(init: Initializer): Variables {}

/** The graph: one statement per node, in dependency order. */
export function forward(vars: Variables, feeds: Feeds, ctx: ForwardContext): Nodes {}

/** The feed_dict of each phase. */
export function makeFeeds(phase: Phase, batch: Batch): Feeds {}

/** The training schedule. */
export const schedule: Schedule<Nodes> = {};

/** Training memory, as graphc estimates it from the shapes; the trainer checks it against the backend's before step 1. */
export const memory: ModelMemory = {};

export const model: CompiledModel<Feeds, Variables, Nodes> = {};

/** Trains and evaluates the model as the schedule says (see RunOptions for overrides). */
export function run(options: RunOptions = {}): Promise<RunResult> {
  return runModel(model, options);
}
