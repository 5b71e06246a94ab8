import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'delta 1, [5, 3], mean', node: { op: 'huber' }, inputs: [{ shape: [5, 3] }, { shape: [5, 3] }], torch: 'F.huber_loss(x1, x0, delta=1.0)' },
  { name: 'delta 0.5, batch [8], sum', node: { op: 'huber', delta: 0.5, reduction: 'sum' }, inputs: [{ shape: [8], batch: true }, { shape: [8], batch: true }], torch: "F.huber_loss(x1, x0, reduction='sum', delta=0.5)" },
  { name: 'delta 2.5, [3, 4], none', node: { op: 'huber', delta: 2.5, reduction: 'none' }, inputs: [{ shape: [3, 4], range: [-4, 4] }, { shape: [3, 4], range: [-4, 4] }], torch: "F.huber_loss(x1, x0, reduction='none', delta=2.5)" },
];
