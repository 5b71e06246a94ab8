import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'NHWC [2, 4, 5, 3]', node: { op: 'global_average_pool' }, inputs: [{ shape: [2, 4, 5, 3], batch: true }], torch: 'x0.mean(dim=(1, 2))' },
  { name: 'NHWC [1, 3, 3, 4], keepdims', node: { op: 'global_average_pool', keepdims: true }, inputs: [{ shape: [1, 3, 3, 4] }], torch: 'x0.mean(dim=(1, 2), keepdim=True)' },
  { name: 'NWC [3, 6, 2]', node: { op: 'global_average_pool' }, inputs: [{ shape: [3, 6, 2] }], torch: 'x0.mean(dim=1)' },
  { name: 'NWC [2, 5, 3], keepdims', node: { op: 'global_average_pool', keepdims: true }, inputs: [{ shape: [2, 5, 3] }], torch: 'x0.mean(dim=1, keepdim=True)' },
];
