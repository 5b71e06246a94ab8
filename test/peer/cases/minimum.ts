import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'same shapes [3, 4]', node: { op: 'minimum' }, inputs: [{ shape: [3, 4] }, { shape: [3, 4] }], torch: 'torch.minimum(x0, x1)' },
  { name: 'broadcast [2, 1, 3] with [4, 1]', node: { op: 'minimum' }, inputs: [{ shape: [2, 1, 3] }, { shape: [4, 1] }], torch: 'torch.minimum(x0, x1)' },
  { name: 'ceiling [3] over batch [5, 3]', node: { op: 'minimum' }, inputs: [{ shape: [5, 3], batch: true }, { shape: [3] }], torch: 'torch.minimum(x0, x1)' },
];
