import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'batch [4, 12] → [-1, 3, 4]', node: { op: 'reshape', shape: [-1, 3, 4] }, inputs: [{ shape: [4, 12], batch: true }], torch: 'x0.reshape(-1, 3, 4)' },
  { name: '[2, 3, 4] → [6, 4]', node: { op: 'reshape', shape: [6, 4] }, inputs: [{ shape: [2, 3, 4] }], torch: 'x0.reshape(6, 4)' },
  { name: '[24] → [2, -1, 4]', node: { op: 'reshape', shape: [2, -1, 4] }, inputs: [{ shape: [24] }], torch: 'x0.reshape(2, -1, 4)' },
  { name: 'int32 [3, 4] → [12]', node: { op: 'reshape', shape: [12] }, inputs: [{ shape: [3, 4], dtype: 'int32' }], torch: 'x0.reshape(12)' },
];
