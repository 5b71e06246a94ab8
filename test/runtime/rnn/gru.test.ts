import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../../src/runtime/tf.js';
import { blockGruSequence, gruSequence, type GruWeights } from '../../../src/runtime/rnn/index.js';
import { disposeWeights, gruWeightsToArrays, randomGruWeights, randomResetAfterGruWeights, randomTensor, referenceGru, relativeError } from './helpers.js';

type Sequence = (x: tf.Tensor3D, w: GruWeights, o: { reverse: boolean }) => tf.Tensor3D;

describe('GRU sequence vs a float64 reference (B=2, T=3, I=4, H=5)', () => {
  let x: tf.Tensor3D;
  let w: GruWeights;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    x = randomTensor([2, 3, 4], 11, 1.5) as tf.Tensor3D;
    w = randomGruWeights(4, 5, 21);
  });
  afterAll(() => {
    x.dispose();
    disposeWeights(w);
  });

  const cases: Array<[string, Sequence]> = [
    ['gru', gruSequence],
    ['block_gru', blockGruSequence],
  ];
  for (const [name, seq] of cases) {
    for (const reverse of [false, true]) {
      it(`${name} ${reverse ? 'reverse' : 'forward'} matches within 1e-5`, async () => {
        const expected = referenceGru((await x.array()) as number[][][], await gruWeightsToArrays(w), reverse).flat(2);
        const out = seq(x, w, { reverse });
        expect(out.shape).toEqual([2, 3, 5]);
        const actual = Array.from(await out.data());
        out.dispose();
        for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-5);
        expect(relativeError(actual, expected)).toBeLessThan(1e-5);
      });
    }
  }

  it('forward and reverse differ (the reverse really runs backwards in time)', async () => {
    const a = gruSequence(x, w, { reverse: false });
    const b = gruSequence(x, w, { reverse: true });
    expect(relativeError(await a.data(), await b.data())).toBeGreaterThan(1e-2);
    tf.dispose([a, b]);
  });

  it('rejects weights that do not fit the input', () => {
    const wrong = randomGruWeights(3, 5, 1);
    expect(() => gruSequence(x, wrong, { reverse: false })).toThrow(/gates kernel/);
    expect(() => blockGruSequence(x, wrong, { reverse: false })).toThrow(/gates kernel/);
    disposeWeights(wrong);
  });
});

describe('reset_after GRU (Keras/PyTorch form) vs a float64 reference (B=2, T=3, I=4, H=5)', () => {
  let x: tf.Tensor3D;
  let w: GruWeights;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    x = randomTensor([2, 3, 4], 12, 1.5) as tf.Tensor3D;
    w = randomResetAfterGruWeights(4, 5, 31);
  });
  afterAll(() => {
    x.dispose();
    disposeWeights(w);
  });

  for (const reverse of [false, true]) {
    it(`gru ${reverse ? 'reverse' : 'forward'} matches within 1e-5, and differs from TF1's form`, async () => {
      const expected = referenceGru((await x.array()) as number[][][], await gruWeightsToArrays(w), reverse).flat(2);
      const out = gruSequence(x, w, { reverse });
      const { candidateRecurrentBias: _, ...tf1 } = w;
      const before = gruSequence(x, tf1, { reverse });
      expect(out.shape).toEqual([2, 3, 5]);
      const actual = Array.from(await out.data());
      expect(relativeError(actual, expected)).toBeLessThan(1e-5);
      expect(relativeError(await before.data(), expected)).toBeGreaterThan(1e-2);
      tf.dispose([out, before]);
    });
  }

  it('block_gru refuses reset_after weights rather than computing the other form', () => {
    expect(() => blockGruSequence(x, w, { reverse: false })).toThrow(/reset_after/);
  });
});
