import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  {
    name: 'x[:, 1:-1:2], batch [3, 10, 4]',
    node: { op: 'strided_slice', begin: [0, 1], end: [0, -1], strides: [1, 2], begin_mask: 1, end_mask: 1 },
    inputs: [{ shape: [3, 10, 4], batch: true }],
    torch: 'x0[:, 1:-1:2]',
  },
  {
    name: 'x[:, ::-1, 2] (shrink, negative stride), [3, 10, 6]',
    node: { op: 'strided_slice', begin: [0, 0, 2], end: [0, 0, 3], strides: [1, -1, 1], begin_mask: 3, end_mask: 3, shrink_axis_mask: 4 },
    inputs: [{ shape: [3, 10, 6] }],
    torch: 'x0.flip(1)[:, :, 2]',
  },
  {
    name: 'x[:, 8:1:-3], [2, 10]',
    node: { op: 'strided_slice', begin: [0, 8], end: [0, 1], strides: [1, -3], begin_mask: 1, end_mask: 1 },
    inputs: [{ shape: [2, 10] }],
    torch: 'x0[:, [8, 5, 2]]',
  },
  {
    name: 'x[-1] (shrink the first dimension), [4, 5]',
    node: { op: 'strided_slice', begin: [-1], end: [0], shrink_axis_mask: 1 },
    inputs: [{ shape: [4, 5] }],
    torch: 'x0[-1]',
  },
  {
    name: 'x[1:100, ::3] clamps, [5, 7]',
    node: { op: 'strided_slice', begin: [1, 0], end: [100, 0], strides: [1, 3], end_mask: 2 },
    inputs: [{ shape: [5, 7] }],
    torch: 'x0[1:, ::3]',
  },
  {
    name: 'int32 x[::2], [6]',
    node: { op: 'strided_slice', begin: [0], end: [6], strides: [2] },
    inputs: [{ shape: [6], dtype: 'int32' }],
    torch: 'x0[::2]',
  },
];
