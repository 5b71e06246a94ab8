import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  // An embedding lookup: repeated ids add their gradients into one row.
  {
    name: 'rows of a [10, 4] table by ids [3, 5]',
    node: { op: 'gather' },
    inputs: [{ shape: [10, 4] }, { shape: [3, 5], dtype: 'int32', range: [0, 10] }],
    torch: 'x0[x1]',
  },
  {
    name: 'axis 1 by a vector, batch [4, 6, 3]',
    node: { op: 'gather', axis: 1 },
    inputs: [{ shape: [4, 6, 3], batch: true }, { shape: [5], dtype: 'int32', values: [5, 0, 0, 3, 1] }],
    torch: 'x0[:, x1]',
  },
  {
    name: 'axis -1 by a scalar, [3, 7]',
    node: { op: 'gather', axis: -1 },
    inputs: [{ shape: [3, 7] }, { shape: [], dtype: 'int32', values: [4] }],
    torch: 'x0[:, x1]',
  },
  {
    name: 'int32 values, [6]',
    node: { op: 'gather' },
    inputs: [{ shape: [6], dtype: 'int32', range: [-50, 50] }, { shape: [2, 2], dtype: 'int32', range: [0, 6] }],
    torch: 'x0[x1]',
  },
];
