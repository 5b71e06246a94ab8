/** The optimizer a spec names, behind the Optimizer interface: one entry per optimizer. */
import type { OptimizerConfig } from '../model.js';
import type { tf } from '../tf.js';
import { Adam, type AdamState } from './adam.js';
import { adagradRule } from './adagrad.js';
import { adamwRule } from './adamw.js';
import { momentumRule } from './momentum.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { rmspropRule } from './rmsprop.js';
import { createSgd } from './sgd.js';
import { createSlotted } from './slotted.js';

type Creator<T extends OptimizerConfig['type']> = (config: Extract<OptimizerConfig, { type: T }>, variables: readonly tf.Variable[]) => Optimizer;

const OPTIMIZERS: { readonly [T in OptimizerConfig['type']]: Creator<T> } = {
  adam: (config, variables) => createAdam(config, variables),
  // Momentum 0 (or none) is TF1's GradientDescentOptimizer, as before momentum existed.
  sgd: (config, variables) =>
    config.momentum ? createSlotted(momentumRule({ ...config, momentum: config.momentum, nesterov: config.nesterov ?? false }), config.learningRate, variables) : createSgd(config.learningRate, variables),
  adamw: (config, variables) => createSlotted(adamwRule(config), config.learningRate, variables),
  rmsprop: (config, variables) => createSlotted(rmspropRule(config), config.learningRate, variables),
  adagrad: (config, variables) => createSlotted(adagradRule(config), config.learningRate, variables),
};

export function createOptimizer(config: OptimizerConfig, variables: readonly tf.Variable[]): Optimizer {
  return (OPTIMIZERS[config.type] as Creator<OptimizerConfig['type']>)(config, variables);
}

function createAdam(config: Extract<OptimizerConfig, { type: 'adam' }>, variables: readonly tf.Variable[]): Optimizer {
  const adam = new Adam(variables, config);
  return {
    applyGradients: (grads, learningRate) => adam.applyGradients(grads, learningRate),
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
