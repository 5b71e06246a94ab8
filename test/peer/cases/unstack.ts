import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'time steps of batch [4, 5, 3], axis 1', node: { op: 'unstack', axis: 1 }, inputs: [{ shape: [4, 5, 3], batch: true }], torch: 'torch.unbind(x0, 1)' },
  { name: 'rows of [3, 4]', node: { op: 'unstack' }, inputs: [{ shape: [3, 4] }], torch: 'torch.unbind(x0, 0)' },
  { name: 'axis -1 of [2, 3, 2]', node: { op: 'unstack', axis: -1 }, inputs: [{ shape: [2, 3, 2] }], torch: 'torch.unbind(x0, -1)' },
  { name: 'output 2 only, [4, 5]', node: { op: 'unstack', axis: 1 }, inputs: [{ shape: [4, 5] }], torch: 'torch.unbind(x0, 1)', outputs: 2 },
  { name: 'int32 [2, 3]', node: { op: 'unstack', axis: 1 }, inputs: [{ shape: [2, 3], dtype: 'int32' }], torch: 'torch.unbind(x0, 1)' },
];
