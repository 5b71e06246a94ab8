import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'all axes, [3, 4]', node: { op: 'reduce_min' }, inputs: [{ shape: [3, 4] }], torch: 'x0.min()' },
  { name: 'axis 1, batch [4, 7, 3]', node: { op: 'reduce_min', axis: 1 }, inputs: [{ shape: [4, 7, 3], batch: true }], torch: 'x0.amin(1)' },
  { name: 'axis 0 keepdims, [6, 2]', node: { op: 'reduce_min', axis: 0, keepdims: true }, inputs: [{ shape: [6, 2] }], torch: 'x0.amin(0, keepdim=True)' },
  { name: 'int32 axis -1, [3, 5]', node: { op: 'reduce_min', axis: -1 }, inputs: [{ shape: [3, 5], dtype: 'int32', range: [-100, 100] }], torch: 'x0.amin(-1)' },
];
