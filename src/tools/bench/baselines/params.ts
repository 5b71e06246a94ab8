/** Reading a spec's params for a baseline, with a clear error when the spec lacks one the baseline needs. */
import { fail } from '../../../common/diagnostics/diagnostic.js';

export type SpecParams = Readonly<Record<string, number | string | boolean>>;

export class ParamReader {
  constructor(
    private readonly model: string,
    private readonly params: SpecParams,
  ) {}

  /** A positive integer param. */
  size(name: string): number {
    const value = this.params[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      return fail('GC721', { model: this.model, param: name, expected: `a positive integer (it is ${value === undefined ? 'missing' : JSON.stringify(value)})` });
    }
    return value;
  }
}

/** The reference notebook's DropoutWrapper / tf.nn.dropout keep probability in training; tf.layers.dropout takes the drop rate. */
export const SEED_DROPOUT_RATE = 1 - 0.5;
