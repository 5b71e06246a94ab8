import type { PeerCase } from '../harness.js';

// bool results, compared exactly (no gradient).
export const cases: readonly PeerCase[] = [
  { name: 'int32 class ids, batch [8] in [0, 3)', node: { op: 'equal' }, inputs: [{ shape: [8], dtype: 'int32', range: [0, 3], batch: true }, { shape: [8], dtype: 'int32', range: [0, 3], batch: true }], torch: 'x0 == x1' },
  { name: 'int32 broadcast [3, 1] with [4]', node: { op: 'equal' }, inputs: [{ shape: [3, 1], dtype: 'int32', range: [0, 3] }, { shape: [4], dtype: 'int32', range: [0, 3] }], torch: 'x0 == x1' },
  { name: 'float32 with equal values, [2, 3]', node: { op: 'equal' }, inputs: [{ shape: [2, 3], values: [0.5, 1, -2, 3, 0, 7] }, { shape: [2, 3], values: [0.5, 2, -2, 3.0001, -0, 7] }], torch: 'x0 == x1' },
  { name: 'float32 random, [3, 4] against [4]', node: { op: 'equal' }, inputs: [{ shape: [3, 4] }, { shape: [4] }], torch: 'x0 == x1' },
  { name: 'bool, [2, 4] against [2, 4]', node: { op: 'equal' }, inputs: [{ shape: [2, 4], dtype: 'bool' }, { shape: [2, 4], dtype: 'bool' }], torch: 'x0 == x1' },
];
