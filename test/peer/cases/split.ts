import type { PeerCase } from '../harness.js';

// torch.split takes part sizes; TF's num_or_size_splits a count or sizes (one may be -1).
export const cases: readonly PeerCase[] = [
  { name: '2 equal parts of batch [4, 6], axis 1', node: { op: 'split', num_or_size_splits: 2, axis: 1 }, inputs: [{ shape: [4, 6], batch: true }], torch: 'torch.split(x0, 3, 1)' },
  { name: 'sizes [1, -1, 2] of [3, 7], axis -1', node: { op: 'split', num_or_size_splits: [1, -1, 2], axis: -1 }, inputs: [{ shape: [3, 7] }], torch: 'torch.split(x0, [1, 4, 2], -1)' },
  { name: '3 parts of [6, 2], axis 0', node: { op: 'split', num_or_size_splits: 3 }, inputs: [{ shape: [6, 2] }], torch: 'torch.split(x0, 2, 0)' },
  { name: 'sizes [2, 3], output 1 only, [2, 5, 2]', node: { op: 'split', num_or_size_splits: [2, 3], axis: 1 }, inputs: [{ shape: [2, 5, 2] }], torch: 'torch.split(x0, [2, 3], 1)', outputs: 1 },
  { name: 'int32 2 parts of [4]', node: { op: 'split', num_or_size_splits: 2 }, inputs: [{ shape: [4], dtype: 'int32' }], torch: 'torch.split(x0, 2, 0)' },
];
