/**
 * How much memory training a graph takes, estimated from the IR's shapes: the
 * model (parameters, their gradients and the optimizer's slots, a fixed
 * amount) and the activations the forward pass keeps for the gradient (per
 * example, so the batch multiplies them). An estimate, not a measurement:
 * backends keep temporaries, and a fused kernel keeps less; it is meant to
 * tell a model that fits from one that cannot (graphc check, the module
 * header, the trainer's preflight).
 */
import type { TensorType } from '../types/tensor.js';
import type { OptimizerSpec } from '../1-spec/types.js';
import type { IrGraph, IrNode } from './graph.js';

/** float32, int32 and bool tensors all take 4 bytes a value in tfjs. */
export const BYTES_PER_VALUE = 4;

export interface MemoryEstimate {
  readonly parameters: number;
  /** Values of non-trainable state (batch_norm's moving statistics): kept once, with no gradient or optimizer slots. */
  readonly state: number;
  /** Values the optimizer keeps per parameter (Adam: 2 moments; SGD: none). */
  readonly optimizerSlots: number;
  /** Parameters, gradients and optimizer slots, and the state, in bytes. */
  readonly modelBytes: number;
  /** Activations and their gradients for one example, in bytes. */
  readonly bytesPerExample: number;
}

export function estimateMemory(graph: IrGraph): MemoryEstimate {
  let parameters = 0;
  let state = 0;
  let activations = 0;
  for (const node of graph.nodes) {
    parameters += node.variables?.parameters ?? 0;
    state += node.variables?.state ?? 0;
    activations += activationsPerExample(node);
  }
  const optimizerSlots = slotsPerParameter(graph.train.optimizer);
  return {
    parameters,
    state,
    optimizerSlots,
    modelBytes: (parameters * (2 + optimizerSlots) + state) * BYTES_PER_VALUE,
    // Each kept activation has a gradient of its size in the backward pass.
    bytesPerExample: activationBytes(activations),
  };
}

/** The values a node keeps for the gradient per example (graphc summary shows them node by node). */
export function activationsPerExample(node: IrNode): number {
  // A variable's value is a parameter, counted as one, not an activation.
  if (node.variables && node.inputs.length === 0) return 0;
  const ctx = { node: node.name, attrs: node.attrs, inputTypes: node.inputTypes, type: node.type };
  return node.op.activationsPerExample?.(ctx) ?? (node.outputs ?? [node.type]).reduce((n, t) => n + perExample(t), 0);
}

/** Bytes for `activations` values per example and their gradients, as bytesPerExample counts them. */
export function activationBytes(activations: number): number {
  return activations * 2 * BYTES_PER_VALUE;
}

/** Training memory for a batch of `batchSize`. */
export function trainingBytes(estimate: MemoryEstimate, batchSize: number): number {
  return estimate.modelBytes + estimate.bytesPerExample * batchSize;
}

/** Values per example: the tensor's size with the batch dimension at 1 (a tensor without one, a scalar, counts once). */
function perExample(type: TensorType): number {
  return type.shape.reduce<number>((n, d) => n * (d ?? 1), 1);
}

/** Values each optimizer keeps per parameter (runtime/optim: Adam's and AdamW's m and v, RMSProp's rms and momentum, …). */
function slotsPerParameter(o: OptimizerSpec): number {
  switch (o.type) {
    case 'adam':
    case 'adamw':
      return 2;
    case 'sgd':
      return o.momentum ? 1 : 0;
    case 'rmsprop':
      return o.centered ? 3 : 2;
    case 'adagrad':
      return 1;
  }
}
