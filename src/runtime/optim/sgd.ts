/** Plain gradient descent (tf.train.GradientDescentOptimizer): it keeps no state beyond its step count. */
import { tf } from '../tf.js';
import type { Optimizer } from './optimizer.js';

export function createSgd(learningRate: number, variables: readonly tf.Variable[]): Optimizer {
  const sgd = tf.train.sgd(learningRate);
  let step = 0;
  let current = learningRate;
  return {
    applyGradients: (grads, rate = learningRate) => {
      if (rate !== current) sgd.setLearningRate((current = rate));
      sgd.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i]! })));
      step++;
    },
    getState: () => ({ step, slots: variables.map(() => ({})) }),
    readState: async () => ({ step, slots: variables.map(() => ({})) }),
    setState: (state) => {
      step = state.step;
    },
    dispose: () => sgd.dispose(),
  };
}
