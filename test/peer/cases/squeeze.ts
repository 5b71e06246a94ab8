import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'every size-1 dimension, batch [4, 1, 5, 1]', node: { op: 'squeeze' }, inputs: [{ shape: [4, 1, 5, 1], batch: true }], torch: 'x0.squeeze(3).squeeze(1)' },
  { name: 'axis -1, [3, 1, 1]', node: { op: 'squeeze', axis: -1 }, inputs: [{ shape: [3, 1, 1] }], torch: 'x0.squeeze(-1)' },
  { name: 'axes [0, 2], [1, 4, 1, 2]', node: { op: 'squeeze', axis: [0, 2] }, inputs: [{ shape: [1, 4, 1, 2] }], torch: 'x0.squeeze(2).squeeze(0)' },
  // A batch of 1 keeps its dimension: squeeze names the axes it removes, as the compiler inferred them.
  { name: 'a batch of 1 stays, batch [1, 1, 3]', node: { op: 'squeeze' }, inputs: [{ shape: [1, 1, 3], batch: true }], torch: 'x0.squeeze(1)' },
];
