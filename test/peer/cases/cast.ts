import type { PeerCase } from '../harness.js';

/** Stock tfjs-backend-wasm's Cast to bool, which graphc's wasm Cast kernel passes non-identity casts to. */
const WASM_CAST_TO_BOOL = { reason: "tfjs-backend-wasm's Cast to bool keeps the low byte (-1 → 255, 2 → 2, -0.5 → 0) instead of x ≠ 0", backends: ['wasm'] } as const;

export const cases: readonly PeerCase[] = [
  { name: 'bool → float32, batch [6]', node: { op: 'cast', dtype: 'float32' }, inputs: [{ shape: [6], dtype: 'bool', batch: true }], torch: 'x0.float()' },
  { name: 'int32 → float32, [3, 4]', node: { op: 'cast', dtype: 'float32' }, inputs: [{ shape: [3, 4], dtype: 'int32', range: [-1000, 1000] }], torch: 'x0.float()' },
  // float32 → int32 truncates toward zero, as TF's Cast does.
  { name: 'float32 → int32 (truncates), [3, 5] in [-5, 5)', node: { op: 'cast', dtype: 'int32' }, inputs: [{ shape: [3, 5], range: [-5, 5] }], torch: 'x0.to(torch.int32)' },
  { name: 'float32 → float32 (identity, with its gradient), [2, 3]', node: { op: 'cast', dtype: 'float32' }, inputs: [{ shape: [2, 3] }], torch: 'x0 * 1' },
  { name: 'float32 → bool (non-zero), [2, 4]', node: { op: 'cast', dtype: 'bool' }, inputs: [{ shape: [2, 4], values: [0, 1, -0.5, 2, 0, 0, 3, -1] }], torch: 'x0 != 0', knownFailure: WASM_CAST_TO_BOOL },
  { name: 'int32 → bool, [5] in [-2, 3)', node: { op: 'cast', dtype: 'bool' }, inputs: [{ shape: [5], dtype: 'int32', range: [-2, 3] }], torch: 'x0 != 0', knownFailure: WASM_CAST_TO_BOOL },
  { name: 'bool → int32, [4]', node: { op: 'cast', dtype: 'int32' }, inputs: [{ shape: [4], dtype: 'bool' }], torch: 'x0.to(torch.int32)' },
];
