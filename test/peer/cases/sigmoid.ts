import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[3, 5]', node: { op: 'sigmoid' }, inputs: [{ shape: [3, 5] }], torch: 'torch.sigmoid(x0)' },
  { name: 'batch [4, 2, 3], wide range', node: { op: 'sigmoid' }, inputs: [{ shape: [4, 2, 3], batch: true, range: [-12, 12] }], torch: 'torch.sigmoid(x0)' },
];
