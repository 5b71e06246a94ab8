/**
 * References to a node's outputs, as TF names tensors: `name:i` is output i of
 * node `name`; `name` alone is its only output (an op with several outputs,
 * split or unstack, has each named by its index).
 */
export interface Reference {
  /** The placeholder or node. */
  readonly name: string;
  /** The output index, when the reference writes one. */
  readonly output?: number;
}

export function parseReference(reference: string): Reference {
  const colon = reference.lastIndexOf(':');
  if (colon < 0) return { name: reference };
  return { name: reference.slice(0, colon), output: Number(reference.slice(colon + 1)) };
}
