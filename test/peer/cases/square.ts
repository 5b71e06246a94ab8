import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[3, 5]', node: { op: 'square' }, inputs: [{ shape: [3, 5] }], torch: 'torch.square(x0)' },
  { name: 'batch [2, 3, 4]', node: { op: 'square' }, inputs: [{ shape: [2, 3, 4], batch: true }], torch: 'torch.square(x0)' },
];
