import type { PeerCase } from '../harness.js';

/** TF1's weighted mean: Σ w·l / Σ w, the weights broadcast to the per-element losses first. */
const weightedMean = "l = F.binary_cross_entropy_with_logits(x1, x0, reduction='none')\nout = (l * x2).sum() / x2.expand_as(l).sum()";

export const cases: readonly PeerCase[] = [
  { name: 'multi-label [4, 3], mean', node: { op: 'sigmoid_cross_entropy' }, inputs: [{ shape: [4, 3], range: [0, 1] }, { shape: [4, 3], range: [-5, 5] }], torch: 'F.binary_cross_entropy_with_logits(x1, x0)' },
  {
    name: 'binary 0/1 targets, batch [6], none',
    node: { op: 'sigmoid_cross_entropy', reduction: 'none' },
    inputs: [{ shape: [6], batch: true, values: [0, 1, 1, 0, 1, 0] }, { shape: [6], batch: true, range: [-5, 5] }],
    torch: "F.binary_cross_entropy_with_logits(x1, x0, reduction='none')",
  },
  { name: 'large logits [3, 2], sum', node: { op: 'sigmoid_cross_entropy', reduction: 'sum' }, inputs: [{ shape: [3, 2], range: [0, 1] }, { shape: [3, 2], range: [-100, 100] }], torch: "F.binary_cross_entropy_with_logits(x1, x0, reduction='sum')" },
  { name: 'weights [4, 1] shared by the labels, weighted mean', node: { op: 'sigmoid_cross_entropy' }, inputs: [{ shape: [4, 3], range: [0, 1] }, { shape: [4, 3] }, { shape: [4, 1], range: [0, 1] }], torch: weightedMean },
];
