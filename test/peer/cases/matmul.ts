import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[3, 4] × [4, 5]', node: { op: 'matmul' }, inputs: [{ shape: [3, 4] }, { shape: [4, 5] }], torch: 'x0 @ x1' },
  { name: 'batch [6, 4] × [4, 2]', node: { op: 'matmul' }, inputs: [{ shape: [6, 4], batch: true }, { shape: [4, 2] }], torch: 'x0 @ x1' },
  { name: 'transpose_a, [4, 3]ᵀ × [4, 5]', node: { op: 'matmul', transpose_a: true }, inputs: [{ shape: [4, 3] }, { shape: [4, 5] }], torch: 'x0.t() @ x1' },
  { name: 'transpose_b, [3, 4] × [5, 4]ᵀ', node: { op: 'matmul', transpose_b: true }, inputs: [{ shape: [3, 4] }, { shape: [5, 4] }], torch: 'x0 @ x1.t()' },
  { name: 'both transposed, [4, 3]ᵀ × [5, 4]ᵀ', node: { op: 'matmul', transpose_a: true, transpose_b: true }, inputs: [{ shape: [4, 3] }, { shape: [5, 4] }], torch: 'x0.t() @ x1.t()' },
  { name: 'batched rank 3, [2, 3, 4] × [2, 4, 5]', node: { op: 'matmul' }, inputs: [{ shape: [2, 3, 4] }, { shape: [2, 4, 5] }], torch: 'torch.bmm(x0, x1)' },
  { name: 'batched transpose_b, batch [3, 2, 6] × [3, 5, 6]ᵀ', node: { op: 'matmul', transpose_b: true }, inputs: [{ shape: [3, 2, 6], batch: true }, { shape: [3, 5, 6] }], torch: 'x0 @ x1.transpose(1, 2)' },
  { name: 'long inner dimension, [2, 300] × [300, 3]', node: { op: 'matmul' }, inputs: [{ shape: [2, 300] }, { shape: [300, 3] }], torch: 'x0 @ x1' },
];
