import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'axis 1, batch [4, 6]', node: { op: 'expand_dims', axis: 1 }, inputs: [{ shape: [4, 6], batch: true }], torch: 'x0.unsqueeze(1)' },
  { name: 'axis -1, [3, 5]', node: { op: 'expand_dims', axis: -1 }, inputs: [{ shape: [3, 5] }], torch: 'x0.unsqueeze(-1)' },
  { name: 'axis 0, [2, 3, 4]', node: { op: 'expand_dims', axis: 0 }, inputs: [{ shape: [2, 3, 4] }], torch: 'x0.unsqueeze(0)' },
  { name: 'int32 axis 1, [5]', node: { op: 'expand_dims', axis: 1 }, inputs: [{ shape: [5], dtype: 'int32' }], torch: 'x0.unsqueeze(1)' },
];
