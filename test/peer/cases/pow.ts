import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'same shapes [3, 4], base in [0.5, 2)', node: { op: 'pow' }, inputs: [{ shape: [3, 4], range: [0.5, 2] }, { shape: [3, 4] }], torch: 'torch.pow(x0, x1)' },
  { name: 'exponents [4] onto batch [5, 4]', node: { op: 'pow' }, inputs: [{ shape: [5, 4], batch: true, range: [0.5, 2] }, { shape: [4], range: [-1, 3] }], torch: 'torch.pow(x0, x1)' },
  { name: 'scalar base onto [2, 3]', node: { op: 'pow' }, inputs: [{ shape: [], range: [1.5, 2] }, { shape: [2, 3] }], torch: 'torch.pow(x0, x1)' },
];
