import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'last time step, batch [4, 5, 3] axis 1 index -1', node: { op: 'take', axis: 1, index: -1 }, inputs: [{ shape: [4, 5, 3], batch: true }], torch: 'x0[:, -1, :]' },
  { name: 'first row, [3, 4] axis 0 index 0', node: { op: 'take', axis: 0, index: 0 }, inputs: [{ shape: [3, 4] }], torch: 'x0[0]' },
  { name: 'axis -1 index 2, [2, 3, 4]', node: { op: 'take', axis: -1, index: 2 }, inputs: [{ shape: [2, 3, 4] }], torch: 'x0[..., 2]' },
  { name: 'axis 1 index -3, [2, 6]', node: { op: 'take', axis: 1, index: -3 }, inputs: [{ shape: [2, 6] }], torch: 'x0[:, -3]' },
  { name: 'int32 axis 0 index 1, [3]', node: { op: 'take', axis: 0, index: 1 }, inputs: [{ shape: [3], dtype: 'int32' }], torch: 'x0[1]' },
];
