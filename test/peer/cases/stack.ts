import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'three [4, 3] at axis 1', node: { op: 'stack', axis: 1 }, inputs: [{ shape: [4, 3] }, { shape: [4, 3] }, { shape: [4, 3] }], torch: 'torch.stack([x0, x1, x2], 1)' },
  { name: 'two batch [4, 5] at axis 0', node: { op: 'stack' }, inputs: [{ shape: [4, 5], batch: true }, { shape: [4, 5], batch: true }], torch: 'torch.stack([x0, x1], 0)' },
  { name: 'two [2, 3] at axis -1', node: { op: 'stack', axis: -1 }, inputs: [{ shape: [2, 3] }, { shape: [2, 3] }], torch: 'torch.stack([x0, x1], -1)' },
  { name: 'one [5]', node: { op: 'stack' }, inputs: [{ shape: [5] }], torch: 'x0.unsqueeze(0)' },
  { name: 'scalars', node: { op: 'stack' }, inputs: [{ shape: [] }, { shape: [] }], torch: 'torch.stack([x0, x1])' },
  { name: 'int32 two [3]', node: { op: 'stack', axis: 1 }, inputs: [{ shape: [3], dtype: 'int32' }, { shape: [3], dtype: 'int32' }], torch: 'torch.stack([x0, x1], 1)' },
];
