import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[3, 5]', node: { op: 'abs' }, inputs: [{ shape: [3, 5] }], torch: 'torch.abs(x0)' },
  { name: 'zeros included, [6]', node: { op: 'abs' }, inputs: [{ shape: [6], values: [-1.5, 0, 2, 0, -0.25, 3] }], torch: 'torch.abs(x0)' },
];
