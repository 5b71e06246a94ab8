import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[3, 4] in [0.1, 3)', node: { op: 'log' }, inputs: [{ shape: [3, 4], range: [0.1, 3] }], torch: 'torch.log(x0)' },
  { name: 'probabilities, batch [5, 10] in [1e-3, 1)', node: { op: 'log' }, inputs: [{ shape: [5, 10], range: [1e-3, 1], batch: true }], torch: 'torch.log(x0)' },
  { name: 'large values, [6] in [1, 1000)', node: { op: 'log' }, inputs: [{ shape: [6], range: [1, 1000] }], torch: 'torch.log(x0)' },
];
