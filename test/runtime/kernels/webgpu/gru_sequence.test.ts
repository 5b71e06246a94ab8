/**
 * The webgpu GraphcGruSequence kernels against the composite block_gru
 * (rnn/block_gru.ts) run on the cpu backend: outputs and the gradients of
 * every input, relative error < 1e-4, on small shapes (lavapipe computes
 * at a few GFLOP/s).
 */
import { describe, expect, it } from 'vitest';
import { fusedGruSequence, hasFusedGru } from '../../../../src/runtime/kernels/gru_sequence.js';
import { Initializer } from '../../../../src/runtime/init.js';
import { RandomStream } from '../../../../src/runtime/random.js';
import {
  blockGruSequence,
  createStackBidirectionalWeights,
  gruSequence,
  gruWeightList,
  stackBidirectionalDynamicRnn,
  type BidirectionalLayer,
  type GruWeights,
} from '../../../../src/runtime/rnn/index.js';
import { tf } from '../../../../src/runtime/tf.js';
import { gruWeightsFromList, outputAndGrads, randomGruWeights, randomResetAfterGruWeights, randomTensor, relativeError, type OutputAndGrads } from '../../rnn/helpers.js';
import { onBackend, webgpuForTests } from './helpers.js';

const TOL = 1e-4;
const gpu = await webgpuForTests();

function toWeights([gatesKernel, gatesBias, candidateKernel, candidateBias]: tf.Tensor[]): GruWeights {
  return {
    gatesKernel: gatesKernel as tf.Tensor2D,
    gatesBias: gatesBias as tf.Tensor1D,
    candidateKernel: candidateKernel as tf.Tensor2D,
    candidateBias: candidateBias as tf.Tensor1D,
  };
}

async function run(sequence: typeof blockGruSequence, shape: readonly number[], reverse: boolean): Promise<OutputAndGrads> {
  const [b, t, i, h] = shape as [number, number, number, number];
  const w = randomGruWeights(i, h, 7 * h + i);
  const inputs = [randomTensor([b, t, i], 100 + b * t, 1.2), w.gatesKernel, w.gatesBias, w.candidateKernel, w.candidateBias];
  const result = await outputAndGrads((x, ...ws) => sequence(x as tf.Tensor3D, toWeights(ws), { reverse }), inputs, 5);
  tf.dispose(inputs);
  return result;
}

const SHAPES = [
  // B, T, I, H: H not a power of two; T = 1; H over 256 (two units per invocation, several GEMM tiles)
  [3, 5, 4, 6],
  [2, 1, 3, 5],
  [2, 3, 3, 260],
];

describe.skipIf(!gpu.available)(`GraphcGruSequence on webgpu ≡ composite block_gru${gpu.titleSuffix}`, () => {
  for (const shape of SHAPES) {
    for (const reverse of [false, true]) {
      it(`B,T,I,H=${shape.join(',')} ${reverse ? 'reverse' : 'forward'}: outputs and gradients of x and all four weights`, async () => {
        const reference = await onBackend('cpu', () => run(blockGruSequence, shape, reverse));
        const fused = await onBackend('webgpu', async () => {
          expect(hasFusedGru()).toBe(true);
          return run(fusedGruSequence, shape, reverse);
        });
        expect(relativeError(fused.value, reference.value)).toBeLessThan(TOL);
        expect(fused.grads.length).toBe(5);
        fused.grads.forEach((g, k) => expect(relativeError(g, reference.grads[k]!), `gradient ${k}`).toBeLessThan(TOL));
      });
    }
  }

  it('stack_bidirectional, 2 layers, output_keep_prob=0.5, on webgpu (fused kernels, device dropout) ≡ the composite on cpu with the same masks', async () => {
    const keep = 0.5;
    const [batch, steps, inputSize, units] = [3, 4, 6, 5];
    const init = new Initializer(new RandomStream(3, 'init'));
    const layers = createStackBidirectionalWeights(init, 'rnn', { cell: 'block_gru', layers: 2, inputSize, units });
    const weights = layers.flatMap((l) => [l.fw, l.bw].flatMap((w) => [w.gatesKernel, w.gatesBias, w.candidateKernel, w.candidateBias]));
    const weightValues = await Promise.all(weights.map(async (w) => ({ values: await w.data(), shape: w.shape })));
    const inputs = (): tf.Tensor[] => [randomTensor([batch, steps, inputSize], 17), ...weightValues.map((w) => tf.tensor(w.values, w.shape))];
    const rebuild = (ws: tf.Tensor[]): BidirectionalLayer[] =>
      [0, 1].map((k) => ({ fw: toWeights(ws.slice(8 * k, 8 * k + 4)), bw: toWeights(ws.slice(8 * k + 4, 8 * k + 8)) }));
    const seeds = new RandomStream(99);
    const maskSeeds = [0, 1, 2, 3].map(() => seeds.nextSeed());

    const { fused, masks } = await onBackend('webgpu', async () => {
      // The device's masks, scaled by 1 / keep: dropout of ones.
      const ones = tf.ones([batch, steps, units]);
      const scaled = maskSeeds.map((seed) => tf.engine().runKernel('GraphcDropout', { x: ones }, { keepProb: keep, seed }) as tf.Tensor);
      const masks = await Promise.all(scaled.map((m) => m.data()));
      tf.dispose([ones, ...scaled]);
      const flat = inputs();
      const fused = await outputAndGrads(
        (x, ...ws) => stackBidirectionalDynamicRnn(x as tf.Tensor3D, rebuild(ws), { cell: 'block_gru', outputKeepProb: keep, random: new RandomStream(99) }),
        flat,
        8,
      );
      tf.dispose(flat);
      return { fused, masks };
    });
    const reference = await onBackend('cpu', async () => {
      const flat = inputs();
      const result = await outputAndGrads(
        (x, ...ws) => {
          let input = x as tf.Tensor3D;
          rebuild(ws).forEach((layer, k) => {
            const fw = blockGruSequence(input, layer.fw, { reverse: false });
            const bw = blockGruSequence(input, layer.bw, { reverse: true });
            const mask = (i: number) => tf.tensor(masks[2 * k + i]!, fw.shape);
            input = tf.concat([tf.mul<tf.Tensor3D>(fw, mask(0)), tf.mul<tf.Tensor3D>(bw, mask(1))], 2);
          });
          return input;
        },
        flat,
        8,
      );
      tf.dispose(flat);
      return result;
    });
    expect(relativeError(fused.value, reference.value)).toBeLessThan(TOL);
    fused.grads.forEach((g, k) => expect(relativeError(g, reference.grads[k]!), `gradient ${k}`).toBeLessThan(TOL));
    const dropped = reference.value.filter((v) => v === 0).length / reference.value.length;
    expect(dropped).toBeGreaterThan(0.25);
    init.variables().forEach((v) => v.variable.dispose());
  });

  describe('reset_after (Keras/PyTorch form) ≡ the composite gru on cpu', () => {
    async function runAfter(sequence: typeof gruSequence, shape: readonly number[], reverse: boolean): Promise<OutputAndGrads> {
      const [b, t, i, h] = shape as [number, number, number, number];
      const inputs = [randomTensor([b, t, i], 100 + b * t, 1.2), ...gruWeightList(randomResetAfterGruWeights(i, h, 7 * h + i))];
      const result = await outputAndGrads((x, ...ws) => sequence(x as tf.Tensor3D, gruWeightsFromList(ws), { reverse }), inputs, 5);
      tf.dispose(inputs);
      return result;
    }
    // Each direction and each shape once (lavapipe compiles every program afresh).
    const CASES: Array<[readonly number[], boolean]> = [
      [SHAPES[0]!, false],
      [SHAPES[0]!, true],
      [SHAPES[1]!, false],
      [SHAPES[2]!, true],
    ];
    for (const [shape, reverse] of CASES) {
      it(`B,T,I,H=${shape.join(',')} ${reverse ? 'reverse' : 'forward'}: outputs and gradients of x and all five weights`, async () => {
        const reference = await onBackend('cpu', () => runAfter(gruSequence, shape, reverse));
        const fused = await onBackend('webgpu', async () => {
          expect(hasFusedGru(undefined, { resetAfter: true })).toBe(true);
          return runAfter(fusedGruSequence, shape, reverse);
        });
        expect(relativeError(fused.value, reference.value)).toBeLessThan(TOL);
        expect(fused.grads.length).toBe(6);
        fused.grads.forEach((g, k) => expect(relativeError(g, reference.grads[k]!), `gradient ${k}`).toBeLessThan(TOL));
      });
    }
  });
});
