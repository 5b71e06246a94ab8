import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[3, 5]', node: { op: 'softplus' }, inputs: [{ shape: [3, 5] }], torch: 'F.softplus(x0)' },
  { name: 'large magnitudes [4, 6], range [-40, 40)', node: { op: 'softplus' }, inputs: [{ shape: [4, 6], range: [-40, 40] }], torch: 'F.softplus(x0)' },
];
