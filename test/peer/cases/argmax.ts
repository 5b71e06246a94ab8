import type { PeerCase } from '../harness.js';

// int32 results, compared exactly (no gradient). Ties (the int32 cases) go to the first maximum in both.
export const cases: readonly PeerCase[] = [
  { name: 'axis 1, batch [6, 10]', node: { op: 'argmax', axis: 1 }, inputs: [{ shape: [6, 10], batch: true }], torch: 'torch.argmax(x0, 1)' },
  { name: 'axis 0, [5, 3]', node: { op: 'argmax', axis: 0 }, inputs: [{ shape: [5, 3] }], torch: 'torch.argmax(x0, 0)' },
  { name: 'axis -1, [2, 3, 4]', node: { op: 'argmax', axis: -1 }, inputs: [{ shape: [2, 3, 4] }], torch: 'torch.argmax(x0, -1)' },
  { name: 'axis 1 of [2, 5, 3]', node: { op: 'argmax', axis: 1 }, inputs: [{ shape: [2, 5, 3] }], torch: 'torch.argmax(x0, 1)' },
  { name: 'int32 with ties, [4, 6] in [0, 3)', node: { op: 'argmax', axis: 1 }, inputs: [{ shape: [4, 6], dtype: 'int32', range: [0, 3] }], torch: 'torch.argmax(x0, 1)' },
  { name: 'float ties, fixed [2, 4]', node: { op: 'argmax', axis: 1 }, inputs: [{ shape: [2, 4], values: [1, 3, 3, 0, -1, -1, -2, -1] }], torch: 'torch.argmax(x0, 1)' },
  // A vector's argmax is a scalar (webgpu's kernel alone gives it shape [1]).
  { name: 'a vector, [7]', node: { op: 'argmax', axis: 0 }, inputs: [{ shape: [7] }], torch: 'torch.argmax(x0, 0)' },
];
