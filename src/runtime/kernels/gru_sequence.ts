/**
 * `block_gru` as one tfjs kernel over the whole sequence. A backend gets the
 * fused path by registering the two kernels below (one file per kernel per
 * backend, under kernels/<backend>/); where none is registered, rnn/ runs
 * block_gru as the custom-gradient composite in rnn/block_gru.ts, which is
 * also the reference the kernels are tested against.
 *
 * Kernel contract (TF GRUCell math, zero initial state):
 *   GraphcGruSequence
 *     inputs  x [B, T, I], gatesKernel [I+H, 2H] (r then u), gatesBias [2H],
 *             candidateKernel [I+H, H], candidateBias [H]          (float32)
 *             and, for a reset_after cell (Keras/PyTorch form, see
 *             rnn/gru_weights.ts), candidateRecurrentBias [H]
 *     attrs   reverse: boolean — process t = T-1 … 0 (the bw direction); the
 *             output stays in input time order
 *     outputs [h [B, T, H], saved] — `saved` is whatever the backend's grad
 *             kernel needs (any float32 shape); it gets no upstream gradient
 *   GraphcGruSequenceGrad
 *     inputs  dh [B, T, H], x, gatesKernel, gatesBias, candidateKernel,
 *             candidateBias, h, saved
 *     attrs   reverse
 *     outputs [dx, dGatesKernel, dGatesBias, dCandidateKernel, dCandidateBias]
 *             (+ dCandidateRecurrentBias for a reset_after cell)
 *
 * The cpu and wasm kernels (kernels/recurrent/gru_math.ts) and webgpu's
 * (webgpu/gru_sequence.ts for TF1's form, webgpu/gru_reset_after.ts) compute
 * both forms; a backend missing from RESET_AFTER_BACKENDS runs a reset_after
 * cell as the composite.
 */
import { tf } from '../tf.js';
import { hasKernelPair, runFusedSequence } from './fused_sequence.js';

export const GRU_SEQUENCE = 'GraphcGruSequence';
export const GRU_SEQUENCE_GRAD = 'GraphcGruSequenceGrad';

/** The backends whose GraphcGruSequence kernels take candidateRecurrentBias (reset_after). */
export const RESET_AFTER_BACKENDS: readonly string[] = ['cpu', 'wasm', 'webgpu'];

/** True when `backend` registers the kernel pair and, for a reset_after cell, its kernels compute that form. */
export function hasFusedGru(backend = tf.getBackend(), cell: { readonly resetAfter?: boolean } = {}): boolean {
  if (cell.resetAfter === true && !RESET_AFTER_BACKENDS.includes(backend)) return false;
  return hasKernelPair(GRU_SEQUENCE, GRU_SEQUENCE_GRAD, backend);
}

/** The GRU's variables as the kernels take them (rnn/gru_weights.ts creates them). */
export interface GruKernelWeights {
  readonly gatesKernel: tf.Tensor2D;
  readonly gatesBias: tf.Tensor1D;
  readonly candidateKernel: tf.Tensor2D;
  readonly candidateBias: tf.Tensor1D;
  readonly candidateRecurrentBias?: tf.Tensor1D;
}

/** block_gru over a whole sequence through the backend's fused kernel (see hasFusedGru). */
export function fusedGruSequence(x: tf.Tensor3D, w: GruKernelWeights, options: { readonly reverse: boolean }): tf.Tensor3D {
  const tf1 = { x, gatesKernel: w.gatesKernel, gatesBias: w.gatesBias, candidateKernel: w.candidateKernel, candidateBias: w.candidateBias };
  const inputs = w.candidateRecurrentBias === undefined ? tf1 : { ...tf1, candidateRecurrentBias: w.candidateRecurrentBias };
  return runFusedSequence(GRU_SEQUENCE, GRU_SEQUENCE_GRAD, inputs, { reverse: options.reverse }) as tf.Tensor3D;
}
