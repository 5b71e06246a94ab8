import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'perm [0, 2, 1], batch [4, 5, 3]', node: { op: 'transpose', perm: [0, 2, 1] }, inputs: [{ shape: [4, 5, 3], batch: true }], torch: 'x0.permute(0, 2, 1)' },
  { name: 'default (reversed), [3, 5]', node: { op: 'transpose' }, inputs: [{ shape: [3, 5] }], torch: 'x0.t()' },
  { name: 'default (reversed), [2, 3, 4]', node: { op: 'transpose' }, inputs: [{ shape: [2, 3, 4] }], torch: 'x0.permute(2, 1, 0)' },
  { name: 'perm [1, 3, 0, 2], [2, 3, 4, 5]', node: { op: 'transpose', perm: [1, 3, 0, 2] }, inputs: [{ shape: [2, 3, 4, 5] }], torch: 'x0.permute(1, 3, 0, 2)' },
  { name: 'int32 [3, 4]', node: { op: 'transpose', perm: [1, 0] }, inputs: [{ shape: [3, 4], dtype: 'int32' }], torch: 'x0.t()' },
];
