/** Runs an op's shape rule directly, collecting the diagnostics it reports. */
import type { Code } from '../../../src/common/diagnostics/catalogue.js';
import type { TensorType } from '../../../src/compiler/types/tensor.js';
import type { Attrs, OpDefinition } from '../../../src/compiler/ops/op.js';

export interface Inferred {
  readonly type: TensorType | undefined;
  readonly errors: { code: Code; path: string | undefined }[];
}

export function infer(op: OpDefinition, inputs: readonly TensorType[], attrs: Attrs, types: Record<string, TensorType> = {}): Inferred {
  const errors: Inferred['errors'] = [];
  const type = op.infer({
    node: 'node',
    attrs,
    inputs: inputs.map((type, i) => ({ name: `in${i}`, type })),
    typeOf: (name) => types[name],
    error: (code, _params, path) => {
      errors.push({ code, path });
      return undefined;
    },
  });
  return { type, errors };
}

export const float32 = (...shape: (number | null)[]): TensorType => ({ dtype: 'float32', shape });
