/**
 * The optimizers after TF1's Adam and SGD share one shape: per variable a few
 * named slots (non-trainable variables the checkpoint keeps by name), and an
 * update rule that maps (variable, gradient, slots, step) to their new values.
 * Each optimizer's file states its rule; this file keeps the slots.
 */
import { tf } from '../tf.js';
import type { Optimizer, OptimizerState } from './optimizer.js';

/** What an update sees of the step: its 1-based count and its learning rate (after the schedule). */
export interface StepInfo {
  readonly t: number;
  readonly learningRate: number;
}

export interface SlotRule {
  /** The optimizer's name, in error messages. */
  readonly name: string;
  /** Slot names, as a checkpoint records them (`<variable>/<slot>`), with each slot's initial value. */
  readonly slots: Readonly<Record<string, number>>;
  /** The new values of the variable and of each slot; called inside a tidy. */
  update(variable: tf.Tensor, gradient: tf.Tensor, slots: Readonly<Record<string, tf.Tensor>>, step: StepInfo): { variable: tf.Tensor; slots: Record<string, tf.Tensor> };
}

export function createSlotted(rule: SlotRule, defaultLearningRate: number, variables: readonly tf.Variable[]): Optimizer {
  const names = Object.keys(rule.slots);
  const slots = variables.map((v) => Object.fromEntries(names.map((n) => [n, filledVariable(v.shape, rule.slots[n]!)])));
  let step = 0;
  const fail = (message: string): never => {
    throw new Error(`${rule.name}: ${message}`);
  };
  const state = (values: Float32Array[][]): OptimizerState => ({
    step,
    slots: values.map((perVariable) => Object.fromEntries(names.map((n, j) => [n, perVariable[j]!]))),
  });
  return {
    applyGradients(grads, learningRate = defaultLearningRate) {
      if (grads.length !== variables.length) fail(`got ${grads.length} gradients for ${variables.length} variables`);
      const info = { t: step + 1, learningRate };
      tf.tidy(() => {
        grads.forEach((g, i) => {
          const next = rule.update(variables[i]!, g, slots[i]!, info);
          for (const n of names) slots[i]![n]!.assign(next.slots[n]!);
          variables[i]!.assign(next.variable);
        });
      });
      step++;
    },
    getState: () => state(slots.map((s) => names.map((n) => Float32Array.from(s[n]!.dataSync() as Float32Array)))),
    readState: async () => state(await Promise.all(slots.map((s) => Promise.all(names.map(async (n) => Float32Array.from((await s[n]!.data()) as Float32Array)))))),
    setState(saved) {
      if (!Number.isInteger(saved.step) || saved.step < 0) fail(`bad step ${saved.step}`);
      if (saved.slots.length !== variables.length) fail(`state has ${saved.slots.length} variables' slots, optimizer has ${variables.length} variables`);
      saved.slots.forEach((record, i) => {
        for (const n of names) {
          const values = record[n];
          if (values === undefined) fail(`variable ${i} has no '${n}' slot in the state (slots: ${Object.keys(record).join(', ') || 'none'})`);
          if (values!.length !== variables[i]!.size) fail(`slot '${n}' of variable ${i} has ${values!.length} values, expected ${variables[i]!.size}`);
        }
      });
      saved.slots.forEach((record, i) => {
        tf.tidy(() => {
          for (const n of names) slots[i]![n]!.assign(tf.tensor(record[n]!, variables[i]!.shape, 'float32'));
        });
      });
      step = saved.step;
    },
    dispose() {
      for (const s of slots) for (const n of names) s[n]!.dispose();
    },
  };
}

/** A non-trainable variable filled with `value`, leaving no other tensor behind. */
function filledVariable(shape: readonly number[], value: number): tf.Variable {
  const filled = tf.fill([...shape], value);
  const variable = tf.variable(filled, false);
  filled.dispose();
  return variable;
}
