import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[5, 3], mean', node: { op: 'mean_squared_error' }, inputs: [{ shape: [5, 3] }, { shape: [5, 3] }], torch: 'F.mse_loss(x1, x0)' },
  { name: 'batch [6, 1], none', node: { op: 'mean_squared_error', reduction: 'none' }, inputs: [{ shape: [6, 1], batch: true }, { shape: [6, 1], batch: true }], torch: "F.mse_loss(x1, x0, reduction='none')" },
  { name: 'weights [4, 1], sum', node: { op: 'mean_squared_error', reduction: 'sum' }, inputs: [{ shape: [4, 2] }, { shape: [4, 2] }, { shape: [4, 1], range: [0, 1] }], torch: "(F.mse_loss(x1, x0, reduction='none') * x2).sum()" },
];
