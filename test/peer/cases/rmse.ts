import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[5, 3]', node: { op: 'rmse' }, inputs: [{ shape: [5, 3] }, { shape: [5, 3] }], torch: '((x1 - x0) ** 2).mean().sqrt()' },
  { name: 'batch [8]', node: { op: 'rmse' }, inputs: [{ shape: [8], batch: true }, { shape: [8], batch: true }], torch: '((x1 - x0) ** 2).mean().sqrt()' },
];
