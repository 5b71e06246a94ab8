import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'same shapes [3, 4]', node: { op: 'mul' }, inputs: [{ shape: [3, 4] }, { shape: [3, 4] }], torch: 'x0 * x1' },
  { name: 'one-hot-like [5, 10] times batch [5, 10]', node: { op: 'mul' }, inputs: [{ shape: [5, 10], batch: true }, { shape: [5, 10], batch: true }], torch: 'x0 * x1' },
  { name: 'scale [4] on batch [6, 4]', node: { op: 'mul' }, inputs: [{ shape: [6, 4], batch: true }, { shape: [4] }], torch: 'x0 * x1' },
  { name: 'broadcast [2, 3, 1] with [1, 5]', node: { op: 'mul' }, inputs: [{ shape: [2, 3, 1] }, { shape: [1, 5] }], torch: 'x0 * x1' },
  { name: 'scalar [] times [3, 2]', node: { op: 'mul' }, inputs: [{ shape: [] }, { shape: [3, 2] }], torch: 'x0 * x1' },
  { name: 'int32 [2, 3] times [2, 1]', node: { op: 'mul' }, inputs: [{ shape: [2, 3], dtype: 'int32', range: [-30, 30] }, { shape: [2, 1], dtype: 'int32', range: [-30, 30] }], torch: 'x0 * x1' },
];
