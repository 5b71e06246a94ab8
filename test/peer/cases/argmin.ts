import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'axis 1, batch [4, 10]', node: { op: 'argmin', axis: 1 }, inputs: [{ shape: [4, 10], batch: true }], torch: 'x0.argmin(1)' },
  { name: 'axis 0, [5, 3]', node: { op: 'argmin', axis: 0 }, inputs: [{ shape: [5, 3] }], torch: 'x0.argmin(0)' },
  { name: 'axis -1, [2, 3, 4]', node: { op: 'argmin', axis: -1 }, inputs: [{ shape: [2, 3, 4] }], torch: 'x0.argmin(-1)' },
  { name: 'a vector to a scalar, [7]', node: { op: 'argmin', axis: 0 }, inputs: [{ shape: [7] }], torch: 'x0.argmin(0)' },
  { name: 'int32 distinct values, [6]', node: { op: 'argmin', axis: 0 }, inputs: [{ shape: [6], dtype: 'int32', values: [4, -2, 9, 0, -7, 3] }], torch: 'x0.argmin(0)' },
];
