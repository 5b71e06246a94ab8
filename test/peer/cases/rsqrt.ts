import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[3, 5], range [0.1, 4)', node: { op: 'rsqrt' }, inputs: [{ shape: [3, 5], range: [0.1, 4] }], torch: 'torch.rsqrt(x0)' },
  { name: 'batch [4, 2], range [0.5, 100)', node: { op: 'rsqrt' }, inputs: [{ shape: [4, 2], batch: true, range: [0.5, 100] }], torch: 'torch.rsqrt(x0)' },
];
