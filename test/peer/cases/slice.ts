import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'rows 2 to 4 of batch [4, 7, 3]', node: { op: 'slice', begin: [0, 2, 0], size: [-1, 3, -1] }, inputs: [{ shape: [4, 7, 3], batch: true }], torch: 'x0[:, 2:5, :]' },
  { name: 'corner of [5, 6]', node: { op: 'slice', begin: [1, 2], size: [3, 4] }, inputs: [{ shape: [5, 6] }], torch: 'x0[1:4, 2:6]' },
  { name: 'the rest from 3, [8]', node: { op: 'slice', begin: [3], size: [-1] }, inputs: [{ shape: [8] }], torch: 'x0[3:]' },
  { name: 'int32 [4, 4]', node: { op: 'slice', begin: [1, 0], size: [2, -1] }, inputs: [{ shape: [4, 4], dtype: 'int32' }], torch: 'x0[1:3, :]' },
];
