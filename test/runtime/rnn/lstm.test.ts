import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../../src/runtime/tf.js';
import { blockLstmSequence, lstmSequence, type LstmSequenceOptions, type LstmWeights } from '../../../src/runtime/rnn/index.js';
import { randomLstmWeights, randomTensor, referenceLstm, relativeError, type Matrix } from './helpers.js';

type Sequence = (x: tf.Tensor3D, w: LstmWeights, o: LstmSequenceOptions) => tf.Tensor3D;

describe('LSTM sequence vs a float64 reference (B=2, T=3, I=4, H=5)', () => {
  let x: tf.Tensor3D;
  let w: LstmWeights;
  let arrays: { kernel: Matrix; bias: number[] };

  beforeAll(async () => {
    await tf.setBackend('cpu');
    x = randomTensor([2, 3, 4], 11, 1.5) as tf.Tensor3D;
    w = randomLstmWeights(4, 5, 21);
    arrays = { kernel: (await w.kernel.array()) as Matrix, bias: (await w.bias.array()) as number[] };
  });
  afterAll(() => {
    tf.dispose([x, w.kernel, w.bias]);
  });

  const cases: Array<[string, Sequence]> = [
    ['lstm', lstmSequence],
    ['block_lstm', blockLstmSequence],
  ];
  for (const [name, seq] of cases) {
    for (const reverse of [false, true]) {
      for (const forgetBias of [undefined, 0.3]) {
        it(`${name} ${reverse ? 'reverse' : 'forward'}, forget bias ${forgetBias ?? '1 (default)'}: matches within 1e-5`, async () => {
          const expected = referenceLstm((await x.array()) as number[][][], arrays, reverse, forgetBias ?? 1).flat(2);
          const out = seq(x, w, { reverse, ...(forgetBias !== undefined ? { forgetBias } : {}) });
          expect(out.shape).toEqual([2, 3, 5]);
          const actual = Array.from(await out.data());
          out.dispose();
          for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-5);
          expect(relativeError(actual, expected)).toBeLessThan(1e-5);
        });
      }
    }
  }

  it('the forget bias matters (the default is really 1.0, not 0)', async () => {
    const a = lstmSequence(x, w, { reverse: false });
    const b = lstmSequence(x, w, { reverse: false, forgetBias: 0 });
    expect(relativeError(await a.data(), await b.data())).toBeGreaterThan(1e-2);
    tf.dispose([a, b]);
  });

  it('rejects weights that do not fit the input', () => {
    const wrong = randomLstmWeights(3, 5, 1);
    expect(() => lstmSequence(x, wrong, { reverse: false })).toThrow(/LSTM kernel/);
    expect(() => blockLstmSequence(x, wrong, { reverse: false })).toThrow(/LSTM kernel/);
    tf.dispose([wrong.kernel, wrong.bias]);
  });
});
