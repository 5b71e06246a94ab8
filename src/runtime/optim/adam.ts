/**
 * TF1's `tf.train.AdamOptimizer`. It differs from tfjs's `tf.train.adam` in
 * where epsilon sits: TF1 folds the bias corrections into the step size and
 * adds epsilon to the uncorrected sqrt(v),
 *   lr_t = lr · sqrt(1 - beta2^t) / (1 - beta1^t)
 *   var -= lr_t · m / (sqrt(v) + epsilon)
 * whereas tfjs adds epsilon to sqrt(v̂) after bias correction.
 */
import { tf } from '../tf.js';

export interface AdamConfig {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/** One variable's slots, as plain data so a checkpoint can serialise them. */
export interface AdamSlotState {
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly shape: readonly number[];
}

export interface AdamState {
  /** Number of updates applied so far (TF's beta powers are beta^step). */
  readonly step: number;
  /** One entry per variable, in the optimizer's variable order. */
  readonly slots: readonly AdamSlotState[];
}

interface Slot {
  readonly m: tf.Variable;
  readonly v: tf.Variable;
}

export class Adam {
  private readonly variables: readonly tf.Variable[];
  private readonly config: AdamConfig;
  private readonly slots: Slot[];
  private t = 0;
  private disposed = false;

  constructor(variables: readonly tf.Variable[], config: AdamConfig) {
    checkConfig(config);
    this.variables = [...variables];
    this.config = { ...config };
    // Slots are non-trainable variables so gradients never flow into them.
    this.slots = this.variables.map((variable) => ({ m: zerosVariable(variable), v: zerosVariable(variable) }));
  }

  /** Updates made so far; the next update uses beta^(step+1). */
  get step(): number {
    return this.t;
  }

  /** One Adam update; grads[i] is the gradient of variables[i]. The grads are not disposed. */
  applyGradients(grads: readonly tf.Tensor[]): void {
    if (this.disposed) throw new Error('Adam: used after dispose()');
    if (grads.length !== this.variables.length) {
      throw new Error(`Adam: got ${grads.length} gradients for ${this.variables.length} variables`);
    }
    grads.forEach((g, i) => checkShape(`gradient ${i}`, g.shape, this.variables[i]!.shape));
    const t = this.t + 1;
    const { learningRate, beta1, beta2, epsilon } = this.config;
    // Computed in doubles; only the result is rounded to float32.
    const lrT = (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    tf.tidy(() => {
      grads.forEach((g, i) => {
        const variable = this.variables[i]!;
        const { m, v } = this.slots[i]!;
        const mNew = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const vNew = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(mNew);
        v.assign(vNew);
        variable.assign(tf.sub(variable, tf.div(tf.mul(mNew, lrT), tf.add(tf.sqrt(vNew), epsilon))));
      });
    });
    this.t = t;
  }

  /** A copy of the step count and slot values (synchronous read). */
  getState(): AdamState {
    return {
      step: this.t,
      slots: this.slots.map(({ m, v }) => ({
        m: Float32Array.from(m.dataSync() as Float32Array),
        v: Float32Array.from(v.dataSync() as Float32Array),
        shape: [...m.shape],
      })),
    };
  }

  /** Like getState, but reads the slot values asynchronously (for GPU-like backends). */
  async readState(): Promise<AdamState> {
    const slots = await Promise.all(
      this.slots.map(async ({ m, v }) => ({
        m: Float32Array.from((await m.data()) as Float32Array),
        v: Float32Array.from((await v.data()) as Float32Array),
        shape: [...m.shape],
      })),
    );
    return { step: this.t, slots };
  }

  /** Restores a state from getState/readState; slot shapes must match the variables. */
  setState(state: AdamState): void {
    if (this.disposed) throw new Error('Adam: used after dispose()');
    if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`Adam.setState: bad step ${state.step}`);
    if (state.slots.length !== this.slots.length) {
      throw new Error(`Adam.setState: state has ${state.slots.length} slots, optimizer has ${this.slots.length} variables`);
    }
    state.slots.forEach((s, i) => {
      const { m, v } = this.slots[i]!;
      checkShape(`slot ${i}`, s.shape, m.shape);
      const size = m.size;
      if (s.m.length !== size || s.v.length !== size) throw new Error(`Adam.setState: slot ${i} has the wrong number of values`);
      tf.tidy(() => {
        m.assign(tf.tensor(s.m, m.shape, 'float32'));
        v.assign(tf.tensor(s.v, v.shape, 'float32'));
      });
    });
    this.t = state.step;
  }

  /** Frees the slot variables (not the optimised variables). */
  dispose(): void {
    for (const { m, v } of this.slots) {
      m.dispose();
      v.dispose();
    }
    this.slots.length = 0;
    this.disposed = true;
  }
}

/** A non-trainable zero variable shaped like `like`, leaving no other tensor behind (callers may be outside a tidy). */
function zerosVariable(like: tf.Tensor): tf.Variable {
  const zeros = tf.zerosLike(like);
  const variable = tf.variable(zeros, false);
  zeros.dispose();
  return variable;
}

function checkConfig(c: AdamConfig): void {
  const ok =
    Number.isFinite(c.learningRate) &&
    c.beta1 >= 0 && c.beta1 < 1 &&
    c.beta2 >= 0 && c.beta2 < 1 &&
    Number.isFinite(c.epsilon) && c.epsilon >= 0;
  if (!ok) throw new RangeError(`Adam: invalid config ${JSON.stringify(c)}`);
}

function checkShape(what: string, actual: readonly number[], wanted: readonly number[]): void {
  if (actual.length !== wanted.length || actual.some((d, i) => d !== wanted[i])) {
    throw new Error(`Adam: ${what} has shape [${actual.join(', ')}], expected [${wanted.join(', ')}]`);
  }
}
