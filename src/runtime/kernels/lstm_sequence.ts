/**
 * `block_lstm` as one tfjs kernel over the whole sequence. A backend gets the
 * fused path by registering the two kernels below (one file per kernel per
 * backend, under kernels/<backend>/); where none is registered, block_lstm
 * runs as the custom-gradient composite in rnn/block_lstm.ts, which is also
 * the reference the kernels are tested against.
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
import { blockLstmSequence } from '../rnn/block_lstm.js';
import type { LstmSequenceOptions } from '../rnn/lstm.js';
import { FORGET_BIAS, type LstmWeights } from '../rnn/lstm_weights.js';
import { tf } from '../tf.js';
import { hasKernelPair, runFusedSequence } from './fused_sequence.js';

export const LSTM_SEQUENCE = 'GraphcLstmSequence';
export const LSTM_SEQUENCE_GRAD = 'GraphcLstmSequenceGrad';

export function hasFusedLstm(backend = tf.getBackend()): boolean {
  return hasKernelPair(LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD, backend);
}

/** block_lstm over a whole sequence: the backend's fused kernel if it has one, else the composite. */
export function fusedLstmSequence(x: tf.Tensor3D, w: LstmWeights, options: LstmSequenceOptions): tf.Tensor3D {
  if (!hasFusedLstm()) return blockLstmSequence(x, w, options);
  const attrs = { reverse: options.reverse, forgetBias: options.forgetBias ?? FORGET_BIAS };
  return runFusedSequence(LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD, { x, kernel: w.kernel, bias: w.bias }, attrs) as tf.Tensor3D;
}
