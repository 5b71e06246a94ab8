import type { PeerCase } from '../harness.js';

// Dropout is random: compared with PyTorch at keep probability 1 (the identity,
// as evaluation feeds it), from a placeholder and as a literal. The mask itself
// (values 0 or x/keep, the share kept, the gradient through it) is checked
// statistically in test/peer/dropout.test.ts, on the same backends.
const keep = (value: number) => ({ keep_prob: { dtype: 'float32' as const, shape: [], value } });

export const cases: readonly PeerCase[] = [
  { name: 'keep_prob placeholder = 1, batch [4, 6]', node: { op: 'dropout', keep_prob: 'keep_prob' }, inputs: [{ shape: [4, 6], batch: true }], extraPlaceholders: keep(1), torch: 'F.dropout(x0, p=1 - float(keep_prob), training=True)' },
  { name: 'keep_prob placeholder = 1, [2, 3, 3, 2], eval', node: { op: 'dropout', keep_prob: 'keep_prob' }, inputs: [{ shape: [2, 3, 3, 2] }], extraPlaceholders: keep(1), phase: 'eval', torch: 'x0 * 1' },
  { name: 'keep_prob literal 1, [5]', node: { op: 'dropout', keep_prob: 1 }, inputs: [{ shape: [5] }], torch: 'F.dropout(x0, p=0.0)' },
];
