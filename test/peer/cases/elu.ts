import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[3, 5]', node: { op: 'elu' }, inputs: [{ shape: [3, 5] }], torch: 'F.elu(x0)' },
  { name: 'batch [2, 4, 3], range [-6, 3)', node: { op: 'elu' }, inputs: [{ shape: [2, 4, 3], batch: true, range: [-6, 3] }], torch: 'F.elu(x0)' },
];
