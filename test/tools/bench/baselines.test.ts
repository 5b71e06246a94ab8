/**
 * The hand-written baselines are the specs' networks: the same number of
 * trainable parameters as graphc creates for each spec (which pins layer
 * sizes, kernels and biases), and they train.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BASELINES, findBaseline } from '../../../src/tools/bench/baselines/index.js';
import { buildBaseline, trainableParameters } from '../../../src/tools/bench/baselines/runner.js';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import { initBackend } from '../../../src/runtime/backends.js';
import { Initializer } from '../../../src/runtime/init.js';
import { RandomStream } from '../../../src/runtime/random.js';
import { tf } from '../../../src/runtime/tf.js';
import { importVariant } from '../../helpers/modules.js';

const SMALL: Record<string, string[]> = {
  lstm: ['hidden_size=6', 'layer_num=2'],
  gru: ['hidden_size=5', 'layer_num=2'],
  bigru: ['hidden_size=4', 'layer_num=2'],
  cnn: ['conv1_features=3', 'conv2_features=4', 'fc_units=8'],
  convnet: ['conv1_filters=3', 'conv2_filters=4'],
};

beforeAll(async () => {
  // As `graphc bench --baseline` runs them: tfjs's stock wasm kernels, plus those it lacks.
  await initBackend('wasm', { stock: true });
});

describe('tfjs-layers baselines', () => {
  it('exist for the specs of the table but the transformer (tfjs-layers has no attention layer)', () => {
    expect(Object.keys(BASELINES).sort()).toEqual(Object.keys(SMALL).sort());
    expect(findBaseline('toString')).toBeUndefined();
  });

  for (const [name, set] of Object.entries(SMALL)) {
    it(`${name}: as many parameters as graphc's variables, and a training step runs`, async () => {
      const model = await importVariant(`graphs/${name}.yaml`, set);
      const init = new Initializer(new RandomStream(1));
      model.createVariables(init);
      const graphcParameters = init.variables().reduce((n, v) => n + v.variable.size, 0);
      init.variables().forEach((v) => v.variable.dispose());

      const { model: layers, description } = buildBaseline({ model: model.name, params: model.params, optimizer: model.schedule.optimizer });
      expect(description).toMatch(/^tf\.layers\./);
      expect(trainableParameters(layers)).toBe(graphcParameters);
      const xs = tf.randomUniform([4, 784]);
      const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10);
      const [loss] = (await layers.trainOnBatch(xs, ys)) as number[];
      expect(Number.isFinite(loss)).toBe(true);
      tf.dispose([xs, ys]);
      layers.optimizer.dispose();
      layers.dispose();
    });
  }

  it('a spec without a param the baseline needs is GC721', () => {
    const error = (() => {
      try {
        buildBaseline({ model: 'lstm', params: { timestep_size: 28, input_size: 28, layer_num: 1, class_num: 10 }, optimizer: { type: 'sgd', learningRate: 0.1 } });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(GraphcError);
    expect((error as GraphcError).diagnostics[0]!.code).toBe('GC721');
    expect((error as GraphcError).diagnostics[0]!.message).toBe("the tfjs-layers baseline for 'lstm' needs the param 'hidden_size' to be a positive integer (it is missing)");
  });
});
