import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../../src/runtime/tf.js';
import { Initializer } from '../../../src/runtime/init.js';
import { RandomStream } from '../../../src/runtime/random.js';
import { dropoutMask } from '../../../src/runtime/rnn/dropout.js';
import { createGruWeights, createLstmWeights, createMultiRnnWeights, createStackBidirectionalWeights, dropout, rnnCell } from '../../../src/runtime/rnn/index.js';
import { randomTensor } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function disposeAll(init: Initializer): void {
  init.variables().forEach((v) => v.variable.dispose());
}

describe('createGruWeights', () => {
  it('creates the four TF variables in order, with TF shapes and initial values', () => {
    const init = new Initializer(new RandomStream(5, 'init'));
    const w = createGruWeights(init, 'cell', 28, 16);
    expect(init.variables().map((v) => v.name)).toEqual(['cell/gates/kernel', 'cell/gates/bias', 'cell/candidate/kernel', 'cell/candidate/bias']);
    expect(w.gatesKernel.shape).toEqual([44, 32]);
    expect(w.gatesBias.shape).toEqual([32]);
    expect(w.candidateKernel.shape).toEqual([44, 16]);
    expect(w.candidateBias.shape).toEqual([16]);
    expect(Array.from(w.gatesBias.dataSync()).every((v) => v === 1)).toBe(true);
    expect(Array.from(w.candidateBias.dataSync()).every((v) => v === 0)).toBe(true);
    for (const [kernel, fanIn, fanOut] of [
      [w.gatesKernel, 44, 32],
      [w.candidateKernel, 44, 16],
    ] as const) {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const values = Array.from(kernel.dataSync());
      expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(limit);
      // Not constant, and actually spread over the range (a uniform sample's max is near the limit).
      expect(new Set(values).size).toBeGreaterThan(values.length / 2);
      expect(Math.max(...values)).toBeGreaterThan(0.9 * limit);
      expect(Math.min(...values)).toBeLessThan(-0.9 * limit);
    }
    disposeAll(init);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const values = (seed: number): number[] => {
      const init = new Initializer(new RandomStream(seed, 'init'));
      const w = createGruWeights(init, 'c', 3, 4);
      const out = [...w.gatesKernel.dataSync(), ...w.candidateKernel.dataSync()];
      disposeAll(init);
      return out;
    };
    expect(values(1)).toEqual(values(1));
    expect(values(1)).not.toEqual(values(2));
  });

  it('rejects non-positive sizes', () => {
    const init = new Initializer(new RandomStream(1));
    expect(() => createGruWeights(init, 'c', 0, 4)).toThrow(RangeError);
    expect(() => createGruWeights(init, 'c', 3, 2.5)).toThrow(RangeError);
  });
});

describe('createStackBidirectionalWeights', () => {
  it('names layers fw then bw, layer i>0 reading 2·units', () => {
    const init = new Initializer(new RandomStream(9));
    const layers = createStackBidirectionalWeights(init, 'outputs', { cell: 'block_gru', layers: 2, inputSize: 28, units: 8 });
    expect(layers).toHaveLength(2);
    const names = init.variables().map((v) => v.name);
    expect(names).toHaveLength(16);
    expect(names.slice(0, 5)).toEqual([
      'outputs/layer_0/fw/gates/kernel',
      'outputs/layer_0/fw/gates/bias',
      'outputs/layer_0/fw/candidate/kernel',
      'outputs/layer_0/fw/candidate/bias',
      'outputs/layer_0/bw/gates/kernel',
    ]);
    expect(names[8]).toBe('outputs/layer_1/fw/gates/kernel');
    expect(layers[0]!.fw.gatesKernel.shape).toEqual([36, 16]);
    expect(layers[1]!.bw.gatesKernel.shape).toEqual([24, 16]);
    expect(layers[1]!.bw.candidateKernel.shape).toEqual([24, 8]);
    disposeAll(init);
  });

  it('gives gru and block_gru identical variables for the same seed', () => {
    const make = (cell: 'gru' | 'block_gru'): number[] => {
      const init = new Initializer(new RandomStream(4));
      createStackBidirectionalWeights(init, 'r', { cell, layers: 2, inputSize: 3, units: 2 });
      const out = init.variables().flatMap((v) => Array.from(v.variable.dataSync()));
      disposeAll(init);
      return out;
    };
    expect(make('block_gru')).toEqual(make('gru'));
  });

  it('rejects an unknown cell type', () => {
    expect(() => rnnCell('rnn_tanh' as 'gru')).toThrow(/unknown RNN cell type/);
  });
});

describe('createLstmWeights', () => {
  it('creates TF BasicLSTMCell\'s two variables: a glorot-uniform [I+H, 4H] kernel and a zero [4H] bias', () => {
    const init = new Initializer(new RandomStream(5, 'init'));
    const w = createLstmWeights(init, 'cell', 28, 16);
    expect(init.variables().map((v) => v.name)).toEqual(['cell/kernel', 'cell/bias']);
    expect(w.kernel.shape).toEqual([44, 64]);
    expect(w.bias.shape).toEqual([64]);
    expect(Array.from(w.bias.dataSync()).every((v) => v === 0)).toBe(true);
    const limit = Math.sqrt(6 / (44 + 64));
    const values = Array.from(w.kernel.dataSync());
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...values)).toBeGreaterThan(0.9 * limit);
    expect(Math.min(...values)).toBeLessThan(-0.9 * limit);
    disposeAll(init);
  });

  it('rejects non-positive sizes', () => {
    const init = new Initializer(new RandomStream(1));
    expect(() => createLstmWeights(init, 'c', 3, 0)).toThrow(RangeError);
  });
});

describe('createMultiRnnWeights', () => {
  it('names layers cell_0, cell_1, …; layer i>0 reads units', () => {
    const init = new Initializer(new RandomStream(9));
    const layers = createMultiRnnWeights(init, 'outputs', { cell: 'block_lstm', layers: 3, inputSize: 28, units: 8 });
    expect(init.variables().map((v) => v.name)).toEqual([
      'outputs/cell_0/kernel',
      'outputs/cell_0/bias',
      'outputs/cell_1/kernel',
      'outputs/cell_1/bias',
      'outputs/cell_2/kernel',
      'outputs/cell_2/bias',
    ]);
    expect(layers.map((l) => l.kernel.shape)).toEqual([
      [36, 32],
      [16, 32],
      [16, 32],
    ]);
    disposeAll(init);
  });

  it('gives lstm and block_lstm identical variables for the same seed', () => {
    const make = (cell: 'lstm' | 'block_lstm'): number[] => {
      const init = new Initializer(new RandomStream(4));
      createMultiRnnWeights(init, 'r', { cell, layers: 2, inputSize: 3, units: 2 });
      const out = init.variables().flatMap((v) => Array.from(v.variable.dataSync()));
      disposeAll(init);
      return out;
    };
    expect(make('block_lstm')).toEqual(make('lstm'));
  });

  it('rejects zero layers', () => {
    const init = new Initializer(new RandomStream(1));
    expect(() => createMultiRnnWeights(init, 'r', { cell: 'gru', layers: 0, inputSize: 3, units: 2 })).toThrow(RangeError);
  });
});

describe('dropout', () => {
  it('returns the same tensor when keep >= 1', () => {
    const x = randomTensor([2, 3], 1);
    expect(dropout(x, 1, 123)).toBe(x);
    x.dispose();
  });

  it('zeros elements or scales them by 1/keep, keeping about keep of them, deterministically per seed', () => {
    const x = tf.fill([50, 40], 3);
    const keep = 0.7;
    const a = dropout(x, keep, 42);
    const values = Array.from(a.dataSync());
    expect(values.every((v) => v === 0 || Math.abs(v - 3 / keep) < 1e-5)).toBe(true);
    const kept = values.filter((v) => v !== 0).length / values.length;
    expect(Math.abs(kept - keep)).toBeLessThan(0.05);
    const b = dropout(x, keep, 42);
    const c = dropout(x, keep, 43);
    expect(Array.from(b.dataSync())).toEqual(values);
    expect(Array.from(c.dataSync())).not.toEqual(values);
    tf.dispose([x, a, b, c]);
  });

  it('passes gradients through the mask only, scaled by 1/keep', () => {
    const x = randomTensor([10, 10], 3);
    const y = dropout(x, 0.5, 7);
    const g = tf.grad((t: tf.Tensor) => tf.sum(dropout(t, 0.5, 7)))(x);
    const yv = y.dataSync();
    const gv = g.dataSync();
    for (let i = 0; i < yv.length; i++) expect(gv[i]).toBe(yv[i] === 0 ? 0 : 2);
    tf.dispose([x, y, g]);
  });

  it('draws masks per example, so a batch split in parts gets the masks of the whole batch', () => {
    const x = randomTensor([7, 3, 4], 5);
    const whole = dropout(x, 0.5, 11);
    const [head, tail] = tf.split(x, [3, 4], 0) as [tf.Tensor, tf.Tensor];
    const parts = tf.concat([dropout(head, 0.5, 11, 0), dropout(tail, 0.5, 11, 3)], 0);
    expect(Array.from(parts.dataSync())).toEqual(Array.from(whole.dataSync()));
    tf.dispose([x, whole, head, tail, parts]);
  });

  it('gives unrelated masks for nearby seeds (agreement ≈ keep² + (1−keep)²)', () => {
    const shape = [100, 28, 16];
    const a = dropoutMask(shape, 0.5, 1, 0);
    for (const seed of [2, 3, 1 ^ 0x10000]) {
      const b = dropoutMask(shape, 0.5, seed, 0);
      const agree = a.filter((v, i) => v === b[i]).length / a.length;
      expect(Math.abs(agree - 0.5)).toBeLessThan(0.01);
    }
    expect(Math.abs(a.reduce((s, v) => s + v, 0) / a.length - 0.5)).toBeLessThan(0.01);
  });

  it('rejects keep <= 0', () => {
    const x = tf.ones([2]);
    expect(() => dropout(x, 0, 1)).toThrow(RangeError);
    x.dispose();
  });
});
