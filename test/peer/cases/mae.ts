import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[5, 3]', node: { op: 'mae' }, inputs: [{ shape: [5, 3] }, { shape: [5, 3] }], torch: '(x1 - x0).abs().mean()' },
  { name: 'batch [8, 1]', node: { op: 'mae' }, inputs: [{ shape: [8, 1], batch: true }, { shape: [8, 1], batch: true }], torch: '(x1 - x0).abs().mean()' },
];
