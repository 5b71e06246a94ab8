import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'relu, [3, 5]', node: { op: 'relu' }, inputs: [{ shape: [3, 5] }], torch: 'F.relu(x0)' },
  { name: 'relu, batch [4, 6, 6, 2]', node: { op: 'relu' }, inputs: [{ shape: [4, 6, 6, 2], batch: true }], torch: 'F.relu(x0)' },
  { name: 'relu, [7]', node: { op: 'relu' }, inputs: [{ shape: [7] }], torch: 'F.relu(x0)' },
];
