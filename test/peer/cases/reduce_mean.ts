import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'all axes, [3, 4]', node: { op: 'reduce_mean' }, inputs: [{ shape: [3, 4] }], torch: 'x0.mean()' },
  { name: 'axis 1 (over time), batch [4, 28, 6]', node: { op: 'reduce_mean', axis: 1 }, inputs: [{ shape: [4, 28, 6], batch: true }], torch: 'x0.mean(1)' },
  { name: 'axis 0, [5, 3]', node: { op: 'reduce_mean', axis: 0 }, inputs: [{ shape: [5, 3] }], torch: 'x0.mean(0)' },
  { name: 'axis -1 keepdims, [2, 3, 4]', node: { op: 'reduce_mean', axis: -1, keepdims: true }, inputs: [{ shape: [2, 3, 4] }], torch: 'x0.mean(-1, keepdim=True)' },
  { name: 'scalar of a [7] vector', node: { op: 'reduce_mean' }, inputs: [{ shape: [7] }], torch: 'x0.mean()' },
  // TF's reduce_mean of integers divides as integers (toward zero; the values are non-negative here, where floor agrees).
  {
    name: 'int32 axis 1, [3, 4]',
    node: { op: 'reduce_mean', axis: 1 },
    inputs: [{ shape: [3, 4], dtype: 'int32', range: [0, 20] }],
    torch: "torch.div(x0.sum(1), 4, rounding_mode='floor')",
    knownFailure: { reason: "graphc types reduce_mean of int32 as int32, but tf.mean gives the float32 mean (TF1 divides as integers)" },
  },
];
