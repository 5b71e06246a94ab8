import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'axis 1, batch [3, 2] and [3, 4]', node: { op: 'concat', axis: 1 }, inputs: [{ shape: [3, 2], batch: true }, { shape: [3, 4], batch: true }], torch: 'torch.cat([x0, x1], 1)' },
  { name: 'axis 0, [2, 3] and [4, 3]', node: { op: 'concat', axis: 0 }, inputs: [{ shape: [2, 3] }, { shape: [4, 3] }], torch: 'torch.cat([x0, x1], 0)' },
  { name: 'axis -1, three [2, 3, 1], [2, 3, 2], [2, 3, 3]', node: { op: 'concat', axis: -1 }, inputs: [{ shape: [2, 3, 1] }, { shape: [2, 3, 2] }, { shape: [2, 3, 3] }], torch: 'torch.cat([x0, x1, x2], -1)' },
  { name: 'axis 1 of rank 3, [2, 1, 4] and [2, 3, 4]', node: { op: 'concat', axis: 1 }, inputs: [{ shape: [2, 1, 4] }, { shape: [2, 3, 4] }], torch: 'torch.cat([x0, x1], 1)' },
  // Nine inputs: more buffers than one webgpu shader may bind by default (8), so the backend must split the work.
  { name: 'axis 1, nine inputs [2, 1] … [2, 9]', node: { op: 'concat', axis: 1 }, inputs: Array.from({ length: 9 }, (_, i) => ({ shape: [2, i + 1] })), torch: 'torch.cat([x0, x1, x2, x3, x4, x5, x6, x7, x8], 1)' },
  { name: 'int32 axis 0, [2] and [3]', node: { op: 'concat', axis: 0 }, inputs: [{ shape: [2], dtype: 'int32' }, { shape: [3], dtype: 'int32' }], torch: 'torch.cat([x0, x1], 0)' },
];
