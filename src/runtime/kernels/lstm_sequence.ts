/**
 * `block_lstm` as one tfjs kernel over the whole sequence. A backend gets the
 * fused path by registering the two kernels below (one file per kernel per
 * backend, under kernels/<backend>/); where none is registered, rnn/ runs
 * block_lstm as the custom-gradient composite in rnn/block_lstm.ts, which is
 * also the reference the kernels are tested against.
 *
 * Kernel contract (TF BasicLSTMCell / LSTMBlockCell math, zero initial state):
 *   GraphcLstmSequence
 *     inputs  x [B, T, I], kernel [I+H, 4H] (columns i, j, f, o), bias [4H]
 *             (float32)
 *     attrs   reverse: boolean — process t = T-1 … 0 (the bw direction); the
 *             output stays in input time order
 *             forgetBias: number — added to the f pre-activation
 *     outputs [h [B, T, H], saved] — `saved` is whatever the backend's grad
 *             kernel needs (any float32 shape); it gets no upstream gradient
 *   GraphcLstmSequenceGrad
 *     inputs  dh [B, T, H], x, kernel, bias, h, saved
 *     attrs   reverse, forgetBias
 *     outputs [dx, dKernel, dBias]
 */
import { tf } from '../tf.js';
import { hasKernelPair, runFusedSequence } from './fused_sequence.js';

export const LSTM_SEQUENCE = 'GraphcLstmSequence';
export const LSTM_SEQUENCE_GRAD = 'GraphcLstmSequenceGrad';

export function hasFusedLstm(backend = tf.getBackend()): boolean {
  return hasKernelPair(LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD, backend);
}

/** Added to the forget gate's pre-activation (BasicLSTMCell's forget_bias default), so the cell starts out remembering. */
export const FORGET_BIAS = 1.0;

/** The LSTM's variables as the kernels take them (rnn/lstm_weights.ts creates them). */
export interface LstmKernelWeights {
  readonly kernel: tf.Tensor2D;
  readonly bias: tf.Tensor1D;
}

/** block_lstm over a whole sequence through the backend's fused kernel (see hasFusedLstm). */
export function fusedLstmSequence(
  x: tf.Tensor3D,
  w: LstmKernelWeights,
  options: { readonly reverse: boolean; readonly forgetBias?: number },
): tf.Tensor3D {
  const attrs = { reverse: options.reverse, forgetBias: options.forgetBias ?? FORGET_BIAS };
  return runFusedSequence(LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD, { x, kernel: w.kernel, bias: w.bias }, attrs) as tf.Tensor3D;
}
