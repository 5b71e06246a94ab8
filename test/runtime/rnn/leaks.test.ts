import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../../src/runtime/tf.js';
import { Initializer } from '../../../src/runtime/init.js';
import { RandomStream } from '../../../src/runtime/random.js';
import { createStackBidirectionalWeights, stackBidirectionalDynamicRnn, type GruCellType } from '../../../src/runtime/rnn/index.js';
import { randomTensor } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('no tensor leaks', () => {
  for (const cell of ['gru', 'block_gru'] as const satisfies readonly GruCellType[]) {
    for (const keep of [1, 0.5]) {
      it(`${cell}, keep=${keep}: forward+backward inside tidy leaves only the created variables`, () => {
        const before = tf.memory().numTensors;
        const init = new Initializer(new RandomStream(1));
        const layers = createStackBidirectionalWeights(init, 'rnn', { cell, layers: 2, inputSize: 4, units: 3 });
        const x = randomTensor([2, 5, 4], 2) as tf.Tensor3D;
        const withVariables = tf.memory().numTensors;
        expect(withVariables - before).toBe(16 + 1);
        const random = new RandomStream(3);
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() =>
            tf.sum(stackBidirectionalDynamicRnn(x, layers, { cell, outputKeepProb: keep, random })) as tf.Scalar,
          );
          expect(Object.keys(grads)).toHaveLength(16);
          expect(Number.isFinite(value.dataSync()[0])).toBe(true);
        });
        expect(tf.memory().numTensors).toBe(withVariables);
        // Inference (no tape) must not keep saved activations either.
        tf.tidy(() => stackBidirectionalDynamicRnn(x, layers, { cell, outputKeepProb: keep, random }).dataSync());
        const out = stackBidirectionalDynamicRnn(x, layers, { cell, outputKeepProb: keep, random });
        expect(tf.memory().numTensors).toBe(withVariables + 1);
        out.dispose();
        x.dispose();
        init.variables().forEach((v) => v.variable.dispose());
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  }
});
