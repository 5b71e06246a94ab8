/** Runs an op's shape rule directly, collecting the diagnostics it reports. */
import type { Code } from '../../../src/common/diagnostics/catalogue.js';
import type { TensorType } from '../../../src/compiler/types/tensor.js';
import type { Attrs, OpDefinition } from '../../../src/compiler/ops/op.js';

export interface Inferred {
  /** A single-output op's type. */
  readonly type: TensorType | undefined;
  /** A multi-output op's types. */
  readonly outputs?: readonly TensorType[];
  readonly errors: { code: Code; path: string | undefined }[];
}

export function infer(op: OpDefinition, inputs: readonly TensorType[], attrs: Attrs, types: Record<string, TensorType> = {}): Inferred {
  const errors: Inferred['errors'] = [];
  const result = op.infer({
    node: 'node',
    attrs,
    inputs: inputs.map((type, i) => ({ name: `in${i}`, type })),
    typeOf: (name) => types[name],
    error: (code, _params, path) => {
      errors.push({ code, path });
      return undefined;
    },
  });
  if (result && 'outputs' in result) return { type: undefined, outputs: result.outputs, errors };
  return { type: result, errors };
}

export const float32 = (...shape: (number | null)[]): TensorType => ({ dtype: 'float32', shape });
