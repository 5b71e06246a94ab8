import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'int32 ids [8] against logits [8, 5]', node: { op: 'accuracy' }, inputs: [{ shape: [8], dtype: 'int32', range: [0, 5] }, { shape: [8, 5] }], torch: '(x1.argmax(-1) == x0).float().mean()' },
  { name: 'one-hot rows, batch [6, 4]', node: { op: 'accuracy' }, inputs: [{ shape: [6, 4], batch: true }, { shape: [6, 4], batch: true }], torch: '(x1.argmax(-1) == x0.argmax(-1)).float().mean()' },
  { name: 'per token ids [2, 5] against [2, 5, 3]', node: { op: 'accuracy' }, inputs: [{ shape: [2, 5], dtype: 'int32', range: [0, 3] }, { shape: [2, 5, 3] }], torch: '(x1.argmax(-1) == x0).float().mean()' },
];
