import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[3, 4]', node: { op: 'exp' }, inputs: [{ shape: [3, 4] }], torch: 'torch.exp(x0)' },
  { name: 'batch [5, 6] in [-10, 10)', node: { op: 'exp' }, inputs: [{ shape: [5, 6], range: [-10, 10], batch: true }], torch: 'torch.exp(x0)' },
  { name: 'scalar []', node: { op: 'exp' }, inputs: [{ shape: [] }], torch: 'torch.exp(x0)' },
];
