/** Shared helpers for the rnn runtime tests: float64 reference GRU and LSTM, random data, error metric, gradient comparison. */
import { expect, it } from 'vitest';
import { tf } from '../../../src/runtime/tf.js';
import type { GruWeights, LstmWeights } from '../../../src/runtime/rnn/index.js';

/** Required agreement between a fused lowering and its composite reference (relativeError). */
export const TOL = 1e-5;

/** [B, T, I, H] shapes the equivalence tests run: odd sizes, a single step, a single example. */
export const SEQUENCE_SHAPES: Array<[number, number, number, number]> = [
  [3, 4, 5, 6],
  [1, 1, 2, 3],
  [4, 7, 3, 8],
  [2, 5, 9, 2],
];

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

/** randomGruWeights for a reset_after cell: with a random recurrent candidate bias. */
export function randomResetAfterGruWeights(inputSize: number, units: number, seed: number): GruWeights {
  return { ...randomGruWeights(inputSize, units, seed), candidateRecurrentBias: randomTensor([units], seed + 4, 0.5) as tf.Tensor1D };
}

/** GruWeights from a list in gruWeightList's order (four tensors, five for reset_after). */
export function gruWeightsFromList([gatesKernel, gatesBias, candidateKernel, candidateBias, candidateRecurrentBias]: readonly tf.Tensor[]): GruWeights {
  const w: GruWeights = {
    gatesKernel: gatesKernel as tf.Tensor2D,
    gatesBias: gatesBias as tf.Tensor1D,
    candidateKernel: candidateKernel as tf.Tensor2D,
    candidateBias: candidateBias as tf.Tensor1D,
  };
  return candidateRecurrentBias === undefined ? w : { ...w, candidateRecurrentBias: candidateRecurrentBias as tf.Tensor1D };
}

export function disposeWeights(w: GruWeights): void {
  tf.dispose([w.gatesKernel, w.gatesBias, w.candidateKernel, w.candidateBias, ...(w.candidateRecurrentBias ? [w.candidateRecurrentBias] : [])]);
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

/**
 * Float64 TF1 GRUCell over x [B][T][I]; kernels row-major [rows][cols]. Returns [B][T][H].
 * With candidateRecurrentBias, the reset_after form: c = tanh(x·W_cx + b_c + r ⊙ (h·W_ch + b_ch)).
 */
export function referenceGru(
  x: number[][][],
  w: { gatesKernel: Matrix; gatesBias: number[]; candidateKernel: Matrix; candidateBias: number[]; candidateRecurrentBias?: number[] },
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
      const inputs = seq[t]!.length;
      const rb = w.candidateRecurrentBias;
      const c =
        rb === undefined
          ? affine([...seq[t]!, ...h.map((hv, j) => r[j]! * hv)], w.candidateKernel, w.candidateBias).map(Math.tanh)
          : affine(seq[t]!, w.candidateKernel.slice(0, inputs), w.candidateBias).map((a, j) => Math.tanh(a + r[j]! * affine(h, w.candidateKernel.slice(inputs), rb)[j]!));
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
  candidateRecurrentBias?: number[];
}> {
  return {
    gatesKernel: (await w.gatesKernel.array()) as Matrix,
    gatesBias: (await w.gatesBias.array()) as number[],
    candidateKernel: (await w.candidateKernel.array()) as Matrix,
    candidateBias: (await w.candidateBias.array()) as number[],
    ...(w.candidateRecurrentBias && { candidateRecurrentBias: (await w.candidateRecurrentBias.array()) as number[] }),
  };
}

/** LSTM weights as plain tensors with a random (non-zero) bias, so every term is exercised. */
export function randomLstmWeights(inputSize: number, units: number, seed: number): LstmWeights {
  return {
    kernel: randomTensor([inputSize + units, 4 * units], seed, 0.6) as tf.Tensor2D,
    bias: randomTensor([4 * units], seed + 1, 0.5) as tf.Tensor1D,
  };
}

/** Float64 TF1 BasicLSTMCell over x [B][T][I] (gates i, j, f, o); kernel row-major [rows][cols]. Returns h, [B][T][H]. */
export function referenceLstm(x: number[][][], w: { kernel: Matrix; bias: number[] }, reverse: boolean, forgetBias = 1): number[][][] {
  const units = w.bias.length / 4;
  const steps = x[0]!.length;
  return x.map((seq) => {
    let c = new Array<number>(units).fill(0);
    let h = new Array<number>(units).fill(0);
    const out = new Array<number[]>(steps);
    const order = [...Array(steps).keys()];
    if (reverse) order.reverse();
    for (const t of order) {
      const a = affine([...seq[t]!, ...h], w.kernel, w.bias);
      const gate = (k: number, j: number): number => a[k * units + j]!;
      c = c.map((cv, j) => cv * sigmoid(gate(2, j) + forgetBias) + sigmoid(gate(0, j)) * Math.tanh(gate(1, j)));
      h = c.map((cv, j) => Math.tanh(cv) * sigmoid(gate(3, j)));
      out[t] = h;
    }
    return out;
  });
}

export interface OutputAndGrads {
  value: Float32Array;
  grads: Float32Array[];
}

/** Output and gradients of sum(out ⊙ R) w.r.t. every input of `run`, read back as data. */
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

/** Values and every gradient agree within TOL (relativeError). */
export function expectClose(actual: OutputAndGrads, expected: OutputAndGrads): void {
  expect(relativeError(actual.value, expected.value)).toBeLessThan(TOL);
  expect(actual.grads.length).toBe(expected.grads.length);
  actual.grads.forEach((g, i) => {
    const err = relativeError(g, expected.grads[i]!);
    expect(err, `gradient ${i}`).toBeLessThan(TOL);
  });
}

/** A fused sequence lowering and the composite it must match, with how to build and flatten their weights. */
export interface SequencePair<W> {
  readonly randomWeights: (inputSize: number, units: number, seed: number) => W;
  readonly toList: (w: W) => tf.Tensor[];
  readonly fromList: (list: readonly tf.Tensor[]) => W;
  readonly composite: (x: tf.Tensor3D, w: W, options: { reverse: boolean }) => tf.Tensor3D;
  readonly fused: (x: tf.Tensor3D, w: W, options: { reverse: boolean }) => tf.Tensor3D;
}

/** Declares one test per SEQUENCE_SHAPES entry and direction: the fused lowering's outputs and every gradient match the composite's. */
export function itMatchesComposite<W>(pair: SequencePair<W>): void {
  for (const [b, t, i, h] of SEQUENCE_SHAPES) {
    for (const reverse of [false, true]) {
      it(`single direction B=${b} T=${t} I=${i} H=${h} ${reverse ? 'reverse' : 'forward'}: outputs, dx and weight grads`, async () => {
        const x = randomTensor([b, t, i], 100 + b * t, 1.2);
        const inputs = [x, ...pair.toList(pair.randomWeights(i, h, 7 * h + i))];
        const seq = (fn: SequencePair<W>['fused']) => (xi: tf.Tensor, ...ws: tf.Tensor[]) => fn(xi as tf.Tensor3D, pair.fromList(ws), { reverse });
        const reference = await outputAndGrads(seq(pair.composite), inputs, 5);
        const fused = await outputAndGrads(seq(pair.fused), inputs, 5);
        expect(fused.grads.map((g) => g.length)).toEqual(inputs.map((v) => v.size));
        expectClose(fused, reference);
        tf.dispose(inputs);
      });
    }
  }
}

/**
 * Runs fn and returns the element count of the largest all-zero tensor
 * written from JavaScript into the current backend meanwhile
 * (engine.makeTensor → write): the zeros the engine makes for a kernel output
 * that gets no gradient, for one. (On wasm kernels allocate their outputs on
 * the heap; the cpu backend's kernels write theirs, zero-filled, through it.)
 */
export function largestZerosWritten<T>(fn: () => T): { result: T; largest: number } {
  type Values = ArrayLike<number> | null | undefined;
  const backend = tf.backend() as unknown as { write: (values: Values, ...rest: unknown[]) => unknown };
  const write = backend.write;
  let largest = 0;
  backend.write = function (this: unknown, values, ...rest) {
    if (values != null && values.length > largest && Array.prototype.every.call(values, (v: number) => v === 0)) largest = values.length;
    return write.call(this, values, ...rest);
  };
  try {
    return { result: fn(), largest };
  } finally {
    backend.write = write;
  }
}

/**
 * Declares the test that the fused kernel's gradient hands its saved
 * activations no gradient, so the engine writes no zero tensor for them
 * (skipped where the backend's kernels write zero-filled outputs themselves).
 */
export function itHandsSavedActivationsNoGradient<W>(pair: Pick<SequencePair<W>, 'randomWeights' | 'toList' | 'fused'>, skip: boolean): void {
  it.skipIf(skip)('hands the saved activations no gradient (the engine writes no zeros for them)', () => {
    const x = randomTensor([2, 3, 4], 1);
    const w = pair.randomWeights(4, 5, 2);
    const { result, largest } = largestZerosWritten(() => tf.grads((xi: tf.Tensor) => tf.sum(pair.fused(xi as tf.Tensor3D, w, { reverse: false })))([x]));
    expect(largest).toBe(0);
    tf.dispose([x, ...result, ...pair.toList(w)]);
  });
}
