/**
 * Variable creation with TF1's initializers, all drawing their seeds from one
 * RandomStream so that a run's initial weights follow from `--seed`.
 */
import { tf } from './tf.js';
import { RandomStream } from './random.js';

export type InitializerSpec =
  | { readonly kind: 'truncated_normal'; readonly mean: number; readonly stddev: number }
  | { readonly kind: 'random_normal'; readonly mean: number; readonly stddev: number }
  | { readonly kind: 'random_uniform'; readonly minval: number; readonly maxval: number }
  | { readonly kind: 'glorot_uniform' }
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'zeros' };

/** A variable (trainable, or non-trainable state) together with the graph-level name it was declared under. */
export interface NamedVariable {
  readonly name: string;
  readonly variable: tf.Variable;
}

export class Initializer {
  private readonly created: NamedVariable[] = [];
  private readonly createdState: NamedVariable[] = [];

  constructor(private readonly random: RandomStream) {}

  /** Creates a trainable float32 variable; `name` is the graph path (e.g. `outputs/layer_0/fw/gates/kernel`). */
  variable<R extends tf.Rank>(name: string, shape: readonly number[], spec: InitializerSpec): tf.Variable<R> {
    const variable = this.create<R>(name, shape, spec, true);
    this.created.push({ name, variable });
    return variable;
  }

  /**
   * Creates non-trainable state (batch_norm's moving statistics): a float32
   * variable that no gradient or optimizer touches, updated only by the
   * session after a training step, and kept in checkpoints beside the variables.
   */
  state<R extends tf.Rank>(name: string, shape: readonly number[], spec: InitializerSpec): tf.Variable<R> {
    const variable = this.create<R>(name, shape, spec, false);
    this.createdState.push({ name, variable });
    return variable;
  }

  /** Every trainable variable created so far, in creation order. */
  variables(): readonly NamedVariable[] {
    return this.created;
  }

  /** Every state variable created so far, in creation order. */
  stateVariables(): readonly NamedVariable[] {
    return this.createdState;
  }

  private create<R extends tf.Rank>(name: string, shape: readonly number[], spec: InitializerSpec, trainable: boolean): tf.Variable<R> {
    if ([...this.created, ...this.createdState].some((v) => v.name === name)) throw new Error(`variable '${name}' is declared twice`);
    const initial = tf.tidy(() => this.initialValue(shape, spec));
    // tfjs variable names are global to the engine, so they are left to tfjs;
    // graphc keeps its own names alongside.
    const variable = tf.variable(initial, trainable) as tf.Variable<R>;
    initial.dispose();
    return variable;
  }

  private initialValue(shape: readonly number[], spec: InitializerSpec): tf.Tensor {
    const dims = [...shape];
    switch (spec.kind) {
      case 'truncated_normal':
        return tf.truncatedNormal(dims, spec.mean, spec.stddev, 'float32', this.random.nextSeed());
      case 'random_normal':
        return tf.randomNormal(dims, spec.mean, spec.stddev, 'float32', this.random.nextSeed());
      case 'random_uniform':
        return tf.randomUniform(dims, spec.minval, spec.maxval, 'float32', this.random.nextSeed());
      case 'glorot_uniform': {
        const { fanIn, fanOut } = fans(dims);
        const limit = Math.sqrt(6 / (fanIn + fanOut));
        return tf.randomUniform(dims, -limit, limit, 'float32', this.random.nextSeed());
      }
      case 'constant':
        return tf.fill(dims, spec.value, 'float32');
      case 'zeros':
        return tf.zeros(dims, 'float32');
    }
  }
}

/** Fan-in and fan-out as TF's VarianceScaling computes them (receptive field × channels for conv kernels). */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: receptive * shape[shape.length - 2]!, fanOut: receptive * shape[shape.length - 1]! };
}
