/**
 * The fused `block_gru` lowering (TF1's `GRUBlockCellV2`): the same function
 * and variables as `gru`, computed as one custom-gradient op over the whole
 * sequence so that tfjs records a single tape node instead of a dozen per step.
 *
 * Forward: the input half of both kernels is applied to all T·B rows in one
 * GEMM up front; only h @ W_h stays inside the recurrence.
 * Backward: hand-written BPTT; only what depends on the carried gradient is
 * per step, and the input and weight gradients are single GEMMs over all T·B
 * rows afterwards.
 *
 * Layout choices, for tfjs-wasm speed (all measured):
 * - Activations are time-major ([T, B, ·], rows flattened to T·B), so a step's
 *   slice is contiguous; x, dy, dx and the output are transposed once at the
 *   boundary instead of strided-copying every step.
 * - tfjs-wasm's slice copies its whole input tensor on every call, so slicing
 *   T steps out of one big tensor costs T full copies. Big tensors are
 *   unstacked in two levels (`unstackSteps`), and backward factors are
 *   computed per step from the saved per-step tensors rather than batched and
 *   sliced.
 * - The r and u gates use separate [H, H] recurrent matrices in the forward
 *   pass, so no per-step column split is needed.
 * - Transposed products use explicitly transposed operands: tfjs-wasm's
 *   transposeA/B GEMMs are several times slower than plain ones.
 */
import { tf } from '../tf.js';
import { gruDims, type GruWeights } from './gru_weights.js';
import { fromTimeMajorRows, gateSteps, rowsOf, stackSteps, timeMajorRows, unpackStepLists, unstackSteps, type SequenceDims as Dims } from './time_major.js';
import { timeOrder } from '../kernels/recurrent/sequence.js';
import type { SequenceOptions } from './unroll.js';

/** Weights rearranged for the fused computation. */
interface SplitWeights {
  /** [I, 3H]: the x-rows of the gates kernel (r, u) then of the candidate kernel. */
  readonly wx: tf.Tensor2D;
  /** [H, H] each: the h-rows of the gates kernel for r and for u, and of the candidate kernel. */
  readonly wr: tf.Tensor2D;
  readonly wu: tf.Tensor2D;
  readonly wc: tf.Tensor2D;
}

/** Per-step [B, H] activations the backward pass needs, indexed by time step. */
interface StepRecord {
  readonly r: tf.Tensor2D[];
  readonly u: tf.Tensor2D[];
  /** candidate */
  readonly c: tf.Tensor2D[];
  /** r ⊙ h_prev */
  readonly rh: tf.Tensor2D[];
  /** h_prev − c */
  readonly diff: tf.Tensor2D[];
  /** the state the step started from */
  readonly hPrev: tf.Tensor2D[];
}
const RECORD_KEYS = ['r', 'u', 'c', 'rh', 'diff', 'hPrev'] as const;

/** Same contract as `gruSequence`: x [B, T, I] → outputs [B, T, H]. */
export function blockGruSequence(x: tf.Tensor3D, w: GruWeights, options: SequenceOptions): tf.Tensor3D {
  const [batch, steps, inputSize] = x.shape;
  const { units } = gruDims(w, inputSize);
  if (steps === 0) throw new Error('blockGruSequence: the sequence has no time steps');
  if (w.candidateRecurrentBias !== undefined) throw new Error('blockGruSequence computes TF1\'s GRU; a reset_after cell runs as the fused kernel or the composite gruSequence');
  const dims: Dims = { batch, steps, inputSize, units };
  const order = timeOrder(steps, options.reverse);

  const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, gatesKernel, gatesBias, candidateKernel, candidateBias, save] = args as [
      tf.Tensor3D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.GradSaveFunc,
    ];
    const weights = splitWeights(gatesKernel, candidateKernel, dims);
    const xFlat = timeMajorRows(xIn);
    const bias = tf.concat([gatesBias, candidateBias]);
    const { output, record } = forward(xFlat, weights, bias, dims, order);
    // Saving only clones handles (no copies); tfjs ignores it when no gradient is being recorded.
    save([xFlat, weights.wx, weights.wr, weights.wu, weights.wc, ...RECORD_KEYS.flatMap((k) => record[k])]);
    return {
      value: output,
      gradFunc: (dy: tf.Tensor3D, saved: tf.Tensor[]) => backward(dy, unpackSaved(saved, steps), dims, order),
    };
  });
  return fused(x, w.gatesKernel, w.gatesBias, w.candidateKernel, w.candidateBias);
}

function splitWeights(gatesKernel: tf.Tensor2D, candidateKernel: tf.Tensor2D, d: Dims): SplitWeights {
  const { inputSize: i, units: h } = d;
  return {
    wx: tf.concat([tf.slice(gatesKernel, [0, 0], [i, 2 * h]), tf.slice(candidateKernel, [0, 0], [i, h])], 1),
    wr: tf.slice(gatesKernel, [i, 0], [h, h]),
    wu: tf.slice(gatesKernel, [i, h], [h, h]),
    wc: tf.slice(candidateKernel, [i, 0], [h, h]),
  };
}

function forward(
  xFlat: tf.Tensor2D,
  w: SplitWeights,
  bias: tf.Tensor1D,
  d: Dims,
  order: readonly number[],
): { output: tf.Tensor3D; record: StepRecord } {
  const { batch, steps, units } = d;
  // One GEMM for the input projections of every step, biases folded in.
  const [xr, xu, xc] = gateSteps(tf.add(tf.matMul(xFlat, w.wx), bias), steps, batch, 3, units) as [tf.Tensor2D[], tf.Tensor2D[], tf.Tensor2D[]];

  const record: StepRecord = { r: [], u: [], c: [], rh: [], diff: [], hPrev: [] };
  const outputs = new Array<tf.Tensor2D>(steps);
  let h: tf.Tensor2D = tf.zeros([batch, units]);
  for (const t of order) {
    const r = tf.sigmoid(tf.add<tf.Tensor2D>(xr[t]!, tf.matMul(h, w.wr)));
    const u = tf.sigmoid(tf.add<tf.Tensor2D>(xu[t]!, tf.matMul(h, w.wu)));
    const rh: tf.Tensor2D = tf.mul(r, h);
    const c = tf.tanh(tf.add<tf.Tensor2D>(xc[t]!, tf.matMul(rh, w.wc)));
    const diff: tf.Tensor2D = tf.sub(h, c);
    record.r[t] = r;
    record.u[t] = u;
    record.c[t] = c;
    record.rh[t] = rh;
    record.diff[t] = diff;
    record.hPrev[t] = h;
    // u*h + (1-u)*c, in the form TF's fused kernel uses.
    h = tf.add(c, tf.mul(u, diff));
    outputs[t] = h;
  }
  return { output: stackSteps(outputs), record };
}

interface Saved {
  readonly xFlat: tf.Tensor2D;
  readonly w: SplitWeights;
  readonly record: StepRecord;
}

function unpackSaved(saved: readonly tf.Tensor[], steps: number): Saved {
  const { leading, lists: record } = unpackStepLists(saved, 5, steps, RECORD_KEYS);
  const [xFlat, wx, wr, wu, wc] = leading;
  return { xFlat: xFlat!, w: { wx: wx!, wr: wr!, wu: wu!, wc: wc! }, record };
}

/**
 * BPTT. With dh the gradient reaching a step's output (from dy and from the
 * next step's state), and a_r, a_u, a_c the pre-activations:
 *   da_c = dh ⊙ (1−u)(1−c²)
 *   drh  = da_c @ W_cᵀ
 *   da_r = drh ⊙ h_prev ⊙ r(1−r)
 *   da_u = dh ⊙ (h_prev − c) ⊙ u(1−u)
 *   dh_prev = drh ⊙ r + dh ⊙ u + da_r @ W_rᵀ + da_u @ W_uᵀ
 * with da_g = [da_r | da_u] kept per step for the GEMMs over all T·B rows
 * after the loop (dW = rowsᵀ @ dA, dx = dA @ W_xᵀ, db = Σ dA).
 */
function backward(dy: tf.Tensor3D, s: Saved, d: Dims, order: readonly number[]): tf.Tensor[] {
  const { batch, steps, units } = d;
  const { r, u, c, rh, diff, hPrev } = s.record;
  const dys = unstackSteps(tf.transpose(dy, [1, 0, 2])) as tf.Tensor2D[];
  const wghT = tf.transpose(tf.concat([s.w.wr, s.w.wu], 1)); // [2H, H]
  const wcT = tf.transpose(s.w.wc);
  const daG = new Array<tf.Tensor2D>(steps);
  const daC = new Array<tf.Tensor2D>(steps);
  let carry: tf.Tensor2D | null = null;
  for (let k = steps - 1; k >= 0; k--) {
    const t = order[k]!;
    const dh: tf.Tensor2D = carry === null ? dys[t]! : tf.add(dys[t]!, carry);
    const [rt, ut, ct] = [r[t]!, u[t]!, c[t]!];
    const dac: tf.Tensor2D = tf.mul(tf.mul(dh, tf.sub(1, ut)), tf.sub(1, tf.square(ct)));
    const drh = tf.matMul(dac, wcT);
    const dar: tf.Tensor2D = tf.mul(tf.mul(drh, hPrev[t]!), tf.mul(rt, tf.sub(1, rt)));
    const dau: tf.Tensor2D = tf.mul(tf.mul(dh, diff[t]!), tf.mul(ut, tf.sub(1, ut)));
    const dag: tf.Tensor2D = tf.concat([dar, dau], 1);
    daG[t] = dag;
    daC[t] = dac;
    // The gradient w.r.t. the zero initial state is not needed.
    if (k > 0) {
      const direct: tf.Tensor2D[] = [tf.mul(drh, rt), tf.mul(dh, ut)];
      carry = tf.addN<tf.Tensor2D>([...direct, tf.matMul<tf.Tensor2D>(dag, wghT)]);
    }
  }

  const [dAg, dAc] = [rowsOf(daG), rowsOf(daC)];
  const dA = tf.concat([dAg, dAc], 1); // [T·B, 3H], columns as in wx
  const dWx = tf.matMul(tf.transpose(s.xFlat), dA);
  const dWgh = tf.matMul(tf.transpose(rowsOf(hPrev)), dAg);
  const dWch = tf.matMul(tf.transpose(rowsOf(rh)), dAc);
  const [dWgx, dWcx] = tf.split(dWx, [2 * units, units], 1);
  const [dbg, dbc] = tf.split(tf.sum(dA, 0), [2 * units, units]);
  const dx = fromTimeMajorRows(tf.matMul(dA, tf.transpose(s.w.wx)), batch, steps);
  return [dx, tf.concat([dWgx!, dWgh], 0), dbg!, tf.concat([dWcx!, dWch], 0), dbc!];
}
