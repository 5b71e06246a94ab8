/**
 * TF1's `tf.train.AdamOptimizer`. It differs from tfjs's `tf.train.adam` in
 * where epsilon sits: TF1 folds the bias corrections into the step size and
 * adds epsilon to the uncorrected sqrt(v),
 *   lr_t = lr · sqrt(1 - beta2^t) / (1 - beta1^t)
 *   var -= lr_t · m / (sqrt(v) + epsilon)
 * whereas tfjs adds epsilon to sqrt(v̂) after bias correction.
 */
import { fusedAdamUpdate, hasFusedAdam, type AdamUpdateAttrs } from '../kernels/adam_update.js';
import { tf } from '../tf.js';
import { powInt } from './engine-math.js';

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

/**
 * Where one variable's m and v live, and how a step updates them: as two
 * variables updated by composite ops, or, on a backend with the fused
 * GraphcAdamUpdate kernel (chosen when the optimizer is created), as one
 * [2, ...shape] variable updated with the variable in one kernel call.
 */
interface Slots {
  apply(variable: tf.Variable, gradient: tf.Tensor, step: AdamUpdateAttrs): void;
  read(): [Float32Array, Float32Array];
  readAsync(): Promise<[Float32Array, Float32Array]>;
  write(m: Float32Array, v: Float32Array): void;
  dispose(): void;
}

class SeparateSlots implements Slots {
  // Non-trainable variables, so gradients never flow into them.
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;

  constructor(like: tf.Variable) {
    this.m = zerosVariable(like.shape);
    this.v = zerosVariable(like.shape);
  }

  apply(variable: tf.Variable, g: tf.Tensor, { learningRate, beta1, beta2, epsilon }: AdamUpdateAttrs): void {
    const mNew = tf.add(tf.mul(this.m, beta1), tf.mul(g, 1 - beta1));
    const vNew = tf.add(tf.mul(this.v, beta2), tf.mul(tf.square(g), 1 - beta2));
    this.m.assign(mNew);
    this.v.assign(vNew);
    variable.assign(tf.sub(variable, tf.div(tf.mul(mNew, learningRate), tf.add(tf.sqrt(vNew), epsilon))));
  }

  read(): [Float32Array, Float32Array] {
    return [Float32Array.from(this.m.dataSync() as Float32Array), Float32Array.from(this.v.dataSync() as Float32Array)];
  }

  async readAsync(): Promise<[Float32Array, Float32Array]> {
    const [m, v] = await Promise.all([this.m.data(), this.v.data()]);
    return [Float32Array.from(m as Float32Array), Float32Array.from(v as Float32Array)];
  }

  write(m: Float32Array, v: Float32Array): void {
    tf.tidy(() => {
      this.m.assign(tf.tensor(m, this.m.shape, 'float32'));
      this.v.assign(tf.tensor(v, this.v.shape, 'float32'));
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}

class PackedSlots implements Slots {
  private readonly mv: tf.Variable;
  private readonly size: number;

  constructor(like: tf.Variable) {
    this.mv = zerosVariable([2, ...like.shape]);
    this.size = like.size;
  }

  apply(variable: tf.Variable, g: tf.Tensor, step: AdamUpdateAttrs): void {
    const [next, nextSlots] = fusedAdamUpdate(variable, this.mv, g, step);
    this.mv.assign(nextSlots);
    variable.assign(next);
  }

  read(): [Float32Array, Float32Array] {
    return this.split(this.mv.dataSync() as Float32Array);
  }

  async readAsync(): Promise<[Float32Array, Float32Array]> {
    return this.split((await this.mv.data()) as Float32Array);
  }

  write(m: Float32Array, v: Float32Array): void {
    const packed = new Float32Array(2 * this.size);
    packed.set(m);
    packed.set(v, this.size);
    tf.tidy(() => this.mv.assign(tf.tensor(packed, this.mv.shape, 'float32')));
  }

  dispose(): void {
    this.mv.dispose();
  }

  private split(packed: Float32Array): [Float32Array, Float32Array] {
    return [packed.slice(0, this.size), packed.slice(this.size, 2 * this.size)];
  }
}

export class Adam {
  private readonly variables: readonly tf.Variable[];
  private readonly config: AdamConfig;
  private readonly slots: Slots[];
  private t = 0;
  private disposed = false;

  constructor(variables: readonly tf.Variable[], config: AdamConfig) {
    checkConfig(config);
    this.variables = [...variables];
    this.config = { ...config };
    const fused = hasFusedAdam();
    this.slots = this.variables.map((variable) => (fused ? new PackedSlots(variable) : new SeparateSlots(variable)));
  }

  /** Updates made so far; the next update uses beta^(step+1). */
  get step(): number {
    return this.t;
  }

  /** One Adam update; grads[i] is the gradient of variables[i]. The grads are not disposed. learningRate: this step's, from a schedule. */
  applyGradients(grads: readonly tf.Tensor[], rate: number = this.config.learningRate): void {
    if (this.disposed) throw new Error('Adam: used after dispose()');
    if (grads.length !== this.variables.length) {
      throw new Error(`Adam: got ${grads.length} gradients for ${this.variables.length} variables`);
    }
    grads.forEach((g, i) => checkShape(`gradient ${i}`, g.shape, this.variables[i]!.shape));
    const t = this.t + 1;
    const { beta1, beta2, epsilon } = this.config;
    // Computed in doubles; only the result is rounded to float32. β^t without the engine's `**`, so a page steps as Node does (engine-math.ts).
    const lrT = (rate * Math.sqrt(1 - powInt(beta2, t))) / (1 - powInt(beta1, t));
    tf.tidy(() => {
      grads.forEach((g, i) => this.slots[i]!.apply(this.variables[i]!, g, { learningRate: lrT, beta1, beta2, epsilon }));
    });
    this.t = t;
  }

  /** A copy of the step count and slot values (synchronous read). */
  getState(): AdamState {
    return { step: this.t, slots: this.slots.map((s, i) => this.slotState(s.read(), i)) };
  }

  /** Like getState, but reads the slot values asynchronously (for GPU-like backends). */
  async readState(): Promise<AdamState> {
    const slots = await Promise.all(this.slots.map(async (s, i) => this.slotState(await s.readAsync(), i)));
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
      const variable = this.variables[i]!;
      checkShape(`slot ${i}`, s.shape, variable.shape);
      if (s.m.length !== variable.size || s.v.length !== variable.size) throw new Error(`Adam.setState: slot ${i} has the wrong number of values`);
      this.slots[i]!.write(s.m, s.v);
    });
    this.t = state.step;
  }

  /** Frees the slot variables (not the optimised variables). */
  dispose(): void {
    for (const slots of this.slots) slots.dispose();
    this.slots.length = 0;
    this.disposed = true;
  }

  private slotState([m, v]: [Float32Array, Float32Array], i: number): AdamSlotState {
    return { m, v, shape: [...this.variables[i]!.shape] };
  }
}

/** A non-trainable zero variable, leaving no other tensor behind (callers may be outside a tidy). */
function zerosVariable(shape: readonly number[]): tf.Variable {
  const zeros = tf.zeros([...shape]);
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
