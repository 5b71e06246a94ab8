import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'k 3 of 6 classes, ids [10]', node: { op: 'top_k_accuracy', k: 3 }, inputs: [{ shape: [10], dtype: 'int32', range: [0, 6] }, { shape: [10, 6] }], torch: '(x1.topk(3, dim=-1).indices == x0[:, None]).any(-1).float().mean()' },
  { name: 'default k 5 of 8, one-hot batch [6, 8]', node: { op: 'top_k_accuracy' }, inputs: [{ shape: [6, 8], batch: true }, { shape: [6, 8], batch: true }], torch: '(x1.topk(5, dim=-1).indices == x0.argmax(-1)[:, None]).any(-1).float().mean()' },
  { name: 'k 1 equals accuracy, ids [7] of 4', node: { op: 'top_k_accuracy', k: 1 }, inputs: [{ shape: [7], dtype: 'int32', range: [0, 4] }, { shape: [7, 4] }], torch: '(x1.argmax(-1) == x0).float().mean()' },
];
