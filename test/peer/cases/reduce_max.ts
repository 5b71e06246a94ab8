import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'all axes, [3, 4]', node: { op: 'reduce_max' }, inputs: [{ shape: [3, 4] }], torch: 'x0.max()' },
  { name: 'axis 1 (over time), batch [4, 7, 3]', node: { op: 'reduce_max', axis: 1 }, inputs: [{ shape: [4, 7, 3], batch: true }], torch: 'x0.amax(1)' },
  { name: 'axis -1 keepdims, [2, 3, 5]', node: { op: 'reduce_max', axis: -1, keepdims: true }, inputs: [{ shape: [2, 3, 5] }], torch: 'x0.amax(-1, keepdim=True)' },
  { name: 'int32 axis 0, [5, 3]', node: { op: 'reduce_max', axis: 0 }, inputs: [{ shape: [5, 3], dtype: 'int32', range: [-100, 100] }], torch: 'x0.amax(0)' },
];
