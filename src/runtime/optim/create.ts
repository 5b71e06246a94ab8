/** The optimizer a spec names, behind the Optimizer interface. */
import type { OptimizerConfig } from '../model.js';
import type { tf } from '../tf.js';
import { Adam, type AdamState } from './adam.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { createSgd } from './sgd.js';

export function createOptimizer(config: OptimizerConfig, variables: readonly tf.Variable[]): Optimizer {
  return config.type === 'adam' ? createAdam(config, variables) : createSgd(config.learningRate, variables);
}

function createAdam(config: Extract<OptimizerConfig, { type: 'adam' }>, variables: readonly tf.Variable[]): Optimizer {
  const adam = new Adam(variables, config);
  return {
    applyGradients: (grads) => adam.applyGradients(grads),
    getState: () => slotRecords(adam.getState()),
    readState: async () => slotRecords(await adam.readState()),
    setState: (state) =>
      adam.setState({ step: state.step, slots: state.slots.map((s, i) => ({ m: s['m']!, v: s['v']!, shape: variables[i]!.shape })) }),
    dispose: () => adam.dispose(),
  };
}

function slotRecords(state: AdamState): OptimizerState {
  return { step: state.step, slots: state.slots.map((s) => ({ m: s.m, v: s.v })) };
}
