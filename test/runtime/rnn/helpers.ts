/** Shared helpers for the rnn runtime tests: float64 reference GRU, random data, error metric. */
import { expect } from 'vitest';
import { tf } from '../../../src/runtime/tf.js';
import { Initializer } from '../../../src/runtime/init.js';
import { RandomStream } from '../../../src/runtime/random.js';
import { createStackBidirectionalWeights, stackBidirectionalDynamicRnn, type BidirectionalLayer, type GruCellType, type GruWeights } from '../../../src/runtime/rnn/index.js';

export type Matrix = number[][];

/** Deterministic float data in [-scale, scale) (LCG, so tests don't depend on tfjs's RNG). */
export function randomValues(n: number, seed: number, scale = 1): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push((s / 4294967296) * 2 * scale - scale);
  }
  return out;
}

export function randomTensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed, scale), shape, 'float32');
}

/** GRU weights as plain tensors with random (non-default) biases, so every term is exercised. */
export function randomGruWeights(inputSize: number, units: number, seed: number): GruWeights {
  const rows = inputSize + units;
  return {
    gatesKernel: randomTensor([rows, 2 * units], seed, 0.6) as tf.Tensor2D,
    gatesBias: randomTensor([2 * units], seed + 1, 0.5) as tf.Tensor1D,
    candidateKernel: randomTensor([rows, units], seed + 2, 0.6) as tf.Tensor2D,
    candidateBias: randomTensor([units], seed + 3, 0.5) as tf.Tensor1D,
  };
}

export function disposeWeights(w: GruWeights): void {
  tf.dispose([w.gatesKernel, w.gatesBias, w.candidateKernel, w.candidateBias]);
}

/** max |a - b| / max |b|: the error relative to the reference's scale. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / Math.max(scale, 1e-30);
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Float64 TF1 GRUCell over x [B][T][I]; kernels row-major [rows][cols]. Returns [B][T][H]. */
export function referenceGru(
  x: number[][][],
  w: { gatesKernel: Matrix; gatesBias: number[]; candidateKernel: Matrix; candidateBias: number[] },
  reverse: boolean,
): number[][][] {
  const units = w.candidateBias.length;
  const steps = x[0]!.length;
  return x.map((seq) => {
    let h = new Array<number>(units).fill(0);
    const out = new Array<number[]>(steps);
    const order = [...Array(steps).keys()];
    if (reverse) order.reverse();
    for (const t of order) {
      const xh = [...seq[t]!, ...h];
      const value = affine(xh, w.gatesKernel, w.gatesBias).map(sigmoid);
      const r = value.slice(0, units);
      const u = value.slice(units);
      const xrh = [...seq[t]!, ...h.map((hv, j) => r[j]! * hv)];
      const c = affine(xrh, w.candidateKernel, w.candidateBias).map(Math.tanh);
      h = h.map((hv, j) => u[j]! * hv + (1 - u[j]!) * c[j]!);
      out[t] = h;
    }
    return out;
  });
}

function affine(v: number[], kernel: Matrix, bias: number[]): number[] {
  return bias.map((b, j) => v.reduce((acc, vi, i) => acc + vi * kernel[i]![j]!, b));
}

export async function gruWeightsToArrays(w: GruWeights): Promise<{
  gatesKernel: Matrix;
  gatesBias: number[];
  candidateKernel: Matrix;
  candidateBias: number[];
}> {
  return {
    gatesKernel: (await w.gatesKernel.array()) as Matrix,
    gatesBias: (await w.gatesBias.array()) as number[],
    candidateKernel: (await w.candidateKernel.array()) as Matrix,
    candidateBias: (await w.candidateBias.array()) as number[],
  };
}

/** Relative tolerance of the equivalence tests (fused vs composite lowerings). */
export const TOL = 1e-5;

export interface OutputAndGrads {
  value: Float32Array;
  grads: Float32Array[];
}

export function toWeights(list: readonly tf.Tensor[]): GruWeights {
  const [gatesKernel, gatesBias, candidateKernel, candidateBias] = list;
  return {
    gatesKernel: gatesKernel as tf.Tensor2D,
    gatesBias: gatesBias as tf.Tensor1D,
    candidateKernel: candidateKernel as tf.Tensor2D,
    candidateBias: candidateBias as tf.Tensor1D,
  };
}

export function fromWeights(w: GruWeights): tf.Tensor[] {
  return [w.gatesKernel, w.gatesBias, w.candidateKernel, w.candidateBias];
}

/** Output and gradients of sum(out ⊙ R) w.r.t. every input of `run`, read back as data (R: random weights from `seed`). */
export async function outputAndGrads(run: (...inputs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], seed: number): Promise<OutputAndGrads> {
  const [out, grads] = tf.tidy(() => {
    const y = run(...inputs);
    const weight = randomTensor(y.shape, seed);
    const { grads } = tf.valueAndGrads((...args: tf.Tensor[]) => tf.sum(tf.mul(run(...args), weight)))(inputs);
    return [y, grads] as const;
  });
  const result = { value: (await out.data()) as Float32Array, grads: await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array)) };
  tf.dispose([out, ...grads]);
  return result;
}

export function expectClose(actual: OutputAndGrads, expected: OutputAndGrads): void {
  expect(relativeError(actual.value, expected.value)).toBeLessThan(TOL);
  expect(actual.grads.length).toBe(expected.grads.length);
  actual.grads.forEach((g, i) => {
    const err = relativeError(g, expected.grads[i]!);
    expect(err, `gradient ${i}`).toBeLessThan(TOL);
  });
}

/**
 * A 2-layer bidirectional stack run as `gru` and as `block_gru` (whatever
 * block_gru lowers to on the current backend): outputs and gradients must
 * agree, and dropout (keep < 1) must actually drop.
 */
export async function expectStackedLoweringsAgree(keep: number): Promise<void> {
  const init = new Initializer(new RandomStream(3, 'init'));
  const layers = createStackBidirectionalWeights(init, 'rnn', { cell: 'gru', layers: 2, inputSize: 6, units: 5 });
  const x = randomTensor([3, 4, 6], 17);
  const flat = [x, ...layers.flatMap((l) => [...fromWeights(l.fw), ...fromWeights(l.bw)])];
  const run =
    (cell: GruCellType) =>
    (xi: tf.Tensor, ...ws: tf.Tensor[]): tf.Tensor => {
      const rebuilt: BidirectionalLayer[] = [0, 1].map((k) => ({
        fw: toWeights(ws.slice(8 * k, 8 * k + 4)),
        bw: toWeights(ws.slice(8 * k + 4, 8 * k + 8)),
      }));
      // A fresh stream per call, so both lowerings (and the value/grad passes) draw the same masks.
      return stackBidirectionalDynamicRnn(xi as tf.Tensor3D, rebuilt, { cell, outputKeepProb: keep, random: new RandomStream(99) });
    };
  const reference = await outputAndGrads(run('gru'), flat, 8);
  const fused = await outputAndGrads(run('block_gru'), flat, 8);
  expect(reference.value.length).toBe(3 * 4 * 10);
  expectClose(fused, reference);
  const zeros = reference.value.filter((v) => v === 0).length / reference.value.length;
  if (keep === 1) expect(zeros).toBe(0);
  else expect(zeros).toBeGreaterThan(0.25);
  x.dispose();
  init.variables().forEach((v) => v.variable.dispose());
}
