import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'default alpha 0.2, [3, 5]', node: { op: 'leaky_relu' }, inputs: [{ shape: [3, 5] }], torch: 'F.leaky_relu(x0, 0.2)' },
  { name: 'alpha 0.01, batch [4, 6]', node: { op: 'leaky_relu', alpha: 0.01 }, inputs: [{ shape: [4, 6], batch: true }], torch: 'F.leaky_relu(x0, 0.01)' },
];
