import type { PeerCase } from '../harness.js';

/** TF1's weighted mean: Σ w·l / Σ w, the weights broadcast to the per-example losses first. */
const weightedMean = (losses: string): string => `l = ${losses}\nout = (l * x2).sum() / x2.expand_as(l).sum()`;

export const cases: readonly PeerCase[] = [
  { name: 'ids [6] of 5 classes, mean', node: { op: 'sparse_softmax_cross_entropy' }, inputs: [{ shape: [6], dtype: 'int32', range: [0, 5] }, { shape: [6, 5] }], torch: 'F.cross_entropy(x1, x0)' },
  { name: 'batch [8] of 10 classes, none', node: { op: 'sparse_softmax_cross_entropy', reduction: 'none' }, inputs: [{ shape: [8], dtype: 'int32', range: [0, 10], batch: true }, { shape: [8, 10], batch: true, range: [-6, 6] }], torch: "F.cross_entropy(x1, x0, reduction='none')" },
  { name: 'large logits [4] of 3, sum', node: { op: 'sparse_softmax_cross_entropy', reduction: 'sum' }, inputs: [{ shape: [4], dtype: 'int32', range: [0, 3] }, { shape: [4, 3], range: [-300, 300] }], torch: "F.cross_entropy(x1, x0, reduction='sum')" },
  { name: 'per token [2, 3] of 4, mean', node: { op: 'sparse_softmax_cross_entropy' }, inputs: [{ shape: [2, 3], dtype: 'int32', range: [0, 4] }, { shape: [2, 3, 4] }], torch: 'F.cross_entropy(x1.permute(0, 2, 1), x0)' },
  // class_weights: PyTorch's weighted cross-entropy, whose mean is Σ w[y]·l / Σ w[y].
  { name: 'class_weights [4] on ids [8], mean', node: { op: 'sparse_softmax_cross_entropy', class_weights: [0.5, 2, 1, 4] }, inputs: [{ shape: [8], dtype: 'int32', range: [0, 4] }, { shape: [8, 4] }], torch: 'F.cross_entropy(x1, x0, weight=torch.tensor([0.5, 2, 1, 4]))' },
  { name: 'class_weights [3] on ids [6], none', node: { op: 'sparse_softmax_cross_entropy', class_weights: [3, 0.25, 1], reduction: 'none' }, inputs: [{ shape: [6], dtype: 'int32', range: [0, 3] }, { shape: [6, 3] }], torch: "F.cross_entropy(x1, x0, weight=torch.tensor([3, 0.25, 1]), reduction='none')" },
  {
    name: 'class_weights [3] times weights [5], mean',
    node: { op: 'sparse_softmax_cross_entropy', class_weights: [1, 2, 3] },
    inputs: [{ shape: [5], dtype: 'int32', range: [0, 3] }, { shape: [5, 3] }, { shape: [5], range: [0.5, 1] }],
    torch: "w = torch.tensor([1., 2., 3.])[x0] * x2\nout = (F.cross_entropy(x1, x0, reduction='none') * w).sum() / w.sum()",
  },
  { name: 'weights [5], weighted mean', node: { op: 'sparse_softmax_cross_entropy' }, inputs: [{ shape: [5], dtype: 'int32', range: [0, 3] }, { shape: [5, 3] }, { shape: [5], range: [0, 1] }], torch: weightedMean("F.cross_entropy(x1, x0, reduction='none')") },
];
