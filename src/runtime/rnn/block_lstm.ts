/**
 * The fused `block_lstm` lowering (TF1's `LSTMBlockCell`): the same function
 * and variables as `lstm`, computed as one custom-gradient op over the whole
 * sequence so that tfjs records a single tape node instead of a dozen per step.
 *
 * Forward: the input rows of the kernel are applied to all T·B rows in one
 * GEMM up front (bias and forget bias folded in); only h @ W_h stays inside
 * the recurrence, as four [H, H] products so no per-step column split is
 * needed (measured faster on wasm than one [H, 4H] product and a split).
 * Backward: hand-written BPTT; only what depends on the carried gradients is
 * per step, and the input and weight gradients are single GEMMs over all T·B
 * rows afterwards. Layout and slicing follow block_gru.ts (see its header).
 */
import { tf } from '../tf.js';
import type { LstmSequenceOptions } from './lstm_cell.js';
import { FORGET_BIAS } from '../kernels/lstm_sequence.js';
import { lstmDims, type LstmWeights } from './lstm_weights.js';
import { fromTimeMajorRows, gateSteps, rowsOf, stackSteps, timeMajorRows, unpackStepLists, unstackSteps, type SequenceDims as Dims } from './time_major.js';
import { timeOrder } from '../kernels/recurrent/sequence.js';

/** Per-step [B, H] values the backward pass needs, indexed by time step. */
interface StepRecord {
  /** σ(a_i), tanh(a_j), σ(a_f + forget_bias), σ(a_o) */
  readonly i: tf.Tensor2D[];
  readonly j: tf.Tensor2D[];
  readonly f: tf.Tensor2D[];
  readonly o: tf.Tensor2D[];
  /** tanh of the new cell state */
  readonly tanhC: tf.Tensor2D[];
  /** the cell state and output the step started from */
  readonly cPrev: tf.Tensor2D[];
  readonly hPrev: tf.Tensor2D[];
}
const RECORD_KEYS = ['i', 'j', 'f', 'o', 'tanhC', 'cPrev', 'hPrev'] as const;
const GATES = 4;

/** Same contract as `lstmSequence`: x [B, T, I] → outputs h [B, T, H]. */
export function blockLstmSequence(x: tf.Tensor3D, w: LstmWeights, options: LstmSequenceOptions): tf.Tensor3D {
  const [batch, steps, inputSize] = x.shape;
  const { units } = lstmDims(w, inputSize);
  if (steps === 0) throw new Error('blockLstmSequence: the sequence has no time steps');
  const dims: Dims = { batch, steps, inputSize, units };
  const order = timeOrder(steps, options.reverse);
  const forgetBias = options.forgetBias ?? FORGET_BIAS;

  const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, kernel, bias, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const wx = tf.slice(kernel, [0, 0], [inputSize, GATES * units]);
    const wh = tf.slice(kernel, [inputSize, 0], [units, GATES * units]);
    const xFlat = timeMajorRows(xIn);
    const { output, record } = forward(xFlat, wx, wh, tf.add(bias, forgetOffset(units, forgetBias)), dims, order);
    // Saving only clones handles (no copies); tfjs ignores it when no gradient is being recorded.
    save([xFlat, wx, wh, ...RECORD_KEYS.flatMap((k) => record[k])]);
    return {
      value: output,
      gradFunc: (dy: tf.Tensor3D, saved: tf.Tensor[]) => backward(dy, unpackSaved(saved, steps), dims, order),
    };
  });
  return fused(x, w.kernel, w.bias);
}

/** [0 (i), 0 (j), forget_bias (f), 0 (o)] per unit, added to the bias once rather than to f every step. */
function forgetOffset(units: number, forgetBias: number): tf.Tensor1D {
  return tf.concat([tf.zeros([2 * units]), tf.fill([units], forgetBias), tf.zeros([units])]);
}

function forward(
  xFlat: tf.Tensor2D,
  wx: tf.Tensor2D,
  wh: tf.Tensor2D,
  bias: tf.Tensor1D,
  d: Dims,
  order: readonly number[],
): { output: tf.Tensor3D; record: StepRecord } {
  const { batch, steps, units } = d;
  const [xi, xj, xf, xo] = gateSteps(tf.add(tf.matMul(xFlat, wx), bias), steps, batch, GATES, units) as [tf.Tensor2D[], tf.Tensor2D[], tf.Tensor2D[], tf.Tensor2D[]];
  const [wi, wj, wf, wo] = tf.split(wh, GATES, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];

  const record: StepRecord = { i: [], j: [], f: [], o: [], tanhC: [], cPrev: [], hPrev: [] };
  const outputs = new Array<tf.Tensor2D>(steps);
  let c: tf.Tensor2D = tf.zeros([batch, units]);
  let h: tf.Tensor2D = tf.zeros([batch, units]);
  for (const t of order) {
    const i = tf.sigmoid(tf.add<tf.Tensor2D>(xi[t]!, tf.matMul(h, wi)));
    const j = tf.tanh(tf.add<tf.Tensor2D>(xj[t]!, tf.matMul(h, wj)));
    const f = tf.sigmoid(tf.add<tf.Tensor2D>(xf[t]!, tf.matMul(h, wf)));
    const o = tf.sigmoid(tf.add<tf.Tensor2D>(xo[t]!, tf.matMul(h, wo)));
    const cNext: tf.Tensor2D = tf.add(tf.mul(c, f), tf.mul(i, j));
    const tanhC = tf.tanh(cNext);
    record.i[t] = i;
    record.j[t] = j;
    record.f[t] = f;
    record.o[t] = o;
    record.tanhC[t] = tanhC;
    record.cPrev[t] = c;
    record.hPrev[t] = h;
    c = cNext;
    h = tf.mul(tanhC, o);
    outputs[t] = h;
  }
  return { output: stackSteps(outputs), record };
}

interface Saved {
  readonly xFlat: tf.Tensor2D;
  readonly wx: tf.Tensor2D;
  readonly wh: tf.Tensor2D;
  readonly record: StepRecord;
}

function unpackSaved(saved: readonly tf.Tensor[], steps: number): Saved {
  const { leading, lists: record } = unpackStepLists(saved, 3, steps, RECORD_KEYS);
  const [xFlat, wx, wh] = leading;
  return { xFlat: xFlat!, wx: wx!, wh: wh!, record };
}

/**
 * BPTT. With dh and dc the gradients reaching a step's output and new cell
 * state (dc from the next step only; dh from dy and the next step), and a_*
 * the pre-activations:
 *   da_o = dh ⊙ tanh(c) ⊙ o(1−o)
 *   dc  += dh ⊙ o ⊙ (1 − tanh²(c))
 *   da_i = dc ⊙ j ⊙ i(1−i);  da_j = dc ⊙ i ⊙ (1−j²);  da_f = dc ⊙ c_prev ⊙ f(1−f)
 *   dc_prev = dc ⊙ f;  dh_prev = [da_i | da_j | da_f | da_o] @ W_hᵀ
 * with da kept per step for the GEMMs over all T·B rows after the loop
 * (dW = rowsᵀ @ dA, dx = dA @ W_xᵀ, db = Σ dA).
 */
function backward(dy: tf.Tensor3D, s: Saved, d: Dims, order: readonly number[]): tf.Tensor[] {
  const { batch, steps } = d;
  const { i, j, f, o, tanhC, cPrev, hPrev } = s.record;
  const dys = unstackSteps(tf.transpose(dy, [1, 0, 2])) as tf.Tensor2D[];
  const whT = tf.transpose(s.wh); // [4H, H]
  const da = new Array<tf.Tensor2D>(steps);
  let dhCarry: tf.Tensor2D | null = null;
  let dcCarry: tf.Tensor2D | null = null;
  for (let k = steps - 1; k >= 0; k--) {
    const t = order[k]!;
    const dh: tf.Tensor2D = dhCarry === null ? dys[t]! : tf.add(dys[t]!, dhCarry);
    const [it, jt, ft, ot, tc] = [i[t]!, j[t]!, f[t]!, o[t]!, tanhC[t]!];
    const dao: tf.Tensor2D = tf.mul(tf.mul(dh, tc), tf.mul(ot, tf.sub(1, ot)));
    const dcOut: tf.Tensor2D = tf.mul(tf.mul(dh, ot), tf.sub(1, tf.square(tc)));
    const dc: tf.Tensor2D = dcCarry === null ? dcOut : tf.add(dcOut, dcCarry);
    const dai: tf.Tensor2D = tf.mul(tf.mul(dc, jt), tf.mul(it, tf.sub(1, it)));
    const daj: tf.Tensor2D = tf.mul(tf.mul(dc, it), tf.sub(1, tf.square(jt)));
    const daf: tf.Tensor2D = tf.mul(tf.mul(dc, cPrev[t]!), tf.mul(ft, tf.sub(1, ft)));
    const dat: tf.Tensor2D = tf.concat([dai, daj, daf, dao], 1);
    da[t] = dat;
    // The gradients w.r.t. the zero initial state are not needed.
    if (k > 0) {
      dcCarry = tf.mul<tf.Tensor2D>(dc, ft);
      dhCarry = tf.matMul<tf.Tensor2D>(dat, whT);
    }
  }

  const dA = rowsOf(da); // [T·B, 4H], columns as in the kernel
  const dWx = tf.matMul(tf.transpose(s.xFlat), dA);
  const dWh = tf.matMul(tf.transpose(rowsOf(hPrev)), dA);
  const dx = fromTimeMajorRows(tf.matMul(dA, tf.transpose(s.wx)), batch, steps);
  return [dx, tf.concat([dWx, dWh], 0), tf.sum(dA, 0)];
}
