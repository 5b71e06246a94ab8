import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[5, 3], mean', node: { op: 'mean_absolute_error' }, inputs: [{ shape: [5, 3] }, { shape: [5, 3] }], torch: 'F.l1_loss(x1, x0)' },
  { name: 'batch [6], none', node: { op: 'mean_absolute_error', reduction: 'none' }, inputs: [{ shape: [6], batch: true }, { shape: [6], batch: true }], torch: "F.l1_loss(x1, x0, reduction='none')" },
  { name: 'zero errors, [4]: the gradient there is 0', node: { op: 'mean_absolute_error' }, inputs: [{ shape: [4], values: [1, 2, 3, -1] }, { shape: [4], values: [1, 2.5, 3, -1] }], torch: 'F.l1_loss(x1, x0)' },
  {
    name: 'weights [4], weighted mean',
    node: { op: 'mean_absolute_error' },
    inputs: [{ shape: [4] }, { shape: [4] }, { shape: [4], range: [0, 1] }],
    torch: "l = F.l1_loss(x1, x0, reduction='none')\nout = (l * x2).sum() / x2.sum()",
  },
];
