import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'all axes, [3, 4]', node: { op: 'reduce_sum' }, inputs: [{ shape: [3, 4] }], torch: 'x0.sum()' },
  { name: 'axis 1, batch [5, 7]', node: { op: 'reduce_sum', axis: 1 }, inputs: [{ shape: [5, 7], batch: true }], torch: 'x0.sum(1)' },
  { name: 'axis 0, [4, 3, 2]', node: { op: 'reduce_sum', axis: 0 }, inputs: [{ shape: [4, 3, 2] }], torch: 'x0.sum(0)' },
  { name: 'axis -1 keepdims, [2, 3, 6]', node: { op: 'reduce_sum', axis: -1, keepdims: true }, inputs: [{ shape: [2, 3, 6] }], torch: 'x0.sum(-1, keepdim=True)' },
  { name: 'all axes keepdims, [2, 5]', node: { op: 'reduce_sum', keepdims: true }, inputs: [{ shape: [2, 5] }], torch: 'x0.sum().reshape(1, 1)' },
  { name: 'many terms, [3, 200] axis 1', node: { op: 'reduce_sum', axis: 1 }, inputs: [{ shape: [3, 200] }], torch: 'x0.sum(1)' },
  { name: 'int32 axis 1, [4, 6]', node: { op: 'reduce_sum', axis: 1 }, inputs: [{ shape: [4, 6], dtype: 'int32', range: [-50, 50] }], torch: 'x0.sum(1)' },
];
