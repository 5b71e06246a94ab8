import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[3, 5]', node: { op: 'tanh' }, inputs: [{ shape: [3, 5] }], torch: 'torch.tanh(x0)' },
  { name: 'batch [4, 2, 3], wide range', node: { op: 'tanh' }, inputs: [{ shape: [4, 2, 3], batch: true, range: [-8, 8] }], torch: 'torch.tanh(x0)' },
];
