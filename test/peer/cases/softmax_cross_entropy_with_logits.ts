import type { PeerCase } from '../harness.js';

/** TF1's weighted mean: Σ w·l / Σ w, the weights broadcast to the per-example losses first. */
const weightedMean = (losses: string): string => `l = ${losses}\nout = (l * x2).sum() / x2.expand_as(l).sum()`;

export const cases: readonly PeerCase[] = [
  { name: 'probability labels [5, 4], mean', node: { op: 'softmax_cross_entropy_with_logits' }, inputs: [{ shape: [5, 4], range: [0, 1] }, { shape: [5, 4] }], torch: 'F.cross_entropy(x1, x0)' },
  {
    name: 'one-hot labels, batch [6, 5], none',
    node: { op: 'softmax_cross_entropy_with_logits', reduction: 'none' },
    inputs: [{ shape: [6, 5], batch: true, values: [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0] }, { shape: [6, 5], batch: true, range: [-8, 8] }],
    torch: "F.cross_entropy(x1, x0, reduction='none')",
  },
  { name: 'large logits [3, 4], sum', node: { op: 'softmax_cross_entropy_with_logits', reduction: 'sum' }, inputs: [{ shape: [3, 4], range: [0, 1] }, { shape: [3, 4], range: [-200, 200] }], torch: "F.cross_entropy(x1, x0, reduction='sum')" },
  { name: 'per token [2, 3, 4], none', node: { op: 'softmax_cross_entropy_with_logits', reduction: 'none' }, inputs: [{ shape: [2, 3, 4], range: [0, 1] }, { shape: [2, 3, 4] }], torch: '-(x0 * F.log_softmax(x1, -1)).sum(-1)' },
  // class_weights with one-hot rows: PyTorch's weighted cross-entropy on their class ids.
  {
    name: 'class_weights [3] on one-hot [5, 3], mean',
    node: { op: 'softmax_cross_entropy_with_logits', class_weights: [0.2, 1, 5] },
    inputs: [{ shape: [5, 3], values: [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0] }, { shape: [5, 3] }],
    // The same value as PyTorch's weighted cross-entropy on the class ids (asserted), written so the labels keep their gradient.
    torch: [
      'w = (x0 * torch.tensor([0.2, 1, 5])).sum(-1)',
      "out = (F.cross_entropy(x1, x0, reduction='none') * w).sum() / w.sum()",
      'assert torch.allclose(out, F.cross_entropy(x1, x0.argmax(-1), weight=torch.tensor([0.2, 1, 5])))',
    ].join('\n'),
  },
  {
    name: 'class_weights [4] on probabilities [3, 4], mean',
    node: { op: 'softmax_cross_entropy_with_logits', class_weights: [1, 2, 0.5, 3] },
    inputs: [{ shape: [3, 4], range: [0, 1] }, { shape: [3, 4] }],
    torch: "w = (x0 * torch.tensor([1, 2, 0.5, 3])).sum(-1)\nout = (F.cross_entropy(x1, x0, reduction='none') * w).sum() / w.sum()",
  },
  { name: 'weights [5], weighted mean', node: { op: 'softmax_cross_entropy_with_logits' }, inputs: [{ shape: [5, 3], range: [0, 1] }, { shape: [5, 3] }, { shape: [5], range: [0, 1] }], torch: weightedMean("F.cross_entropy(x1, x0, reduction='none')") },
  { name: 'scalar weight, sum', node: { op: 'softmax_cross_entropy_with_logits', reduction: 'sum' }, inputs: [{ shape: [4, 3], range: [0, 1] }, { shape: [4, 3] }, { shape: [], range: [0.5, 2] }], torch: "(F.cross_entropy(x1, x0, reduction='none') * x2).sum()" },
];
