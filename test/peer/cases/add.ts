import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'same shapes [3, 4]', node: { op: 'add' }, inputs: [{ shape: [3, 4] }, { shape: [3, 4] }], torch: 'x0 + x1' },
  { name: 'bias [4] onto batch [5, 4]', node: { op: 'add' }, inputs: [{ shape: [5, 4], batch: true }, { shape: [4] }], torch: 'x0 + x1' },
  { name: 'bias [8] onto batch images [2, 3, 3, 8]', node: { op: 'add' }, inputs: [{ shape: [2, 3, 3, 8], batch: true }, { shape: [8] }], torch: 'x0 + x1' },
  { name: 'broadcast [2, 1, 3] with [4, 1]', node: { op: 'add' }, inputs: [{ shape: [2, 1, 3] }, { shape: [4, 1] }], torch: 'x0 + x1' },
  { name: 'scalar [] onto [2, 3]', node: { op: 'add' }, inputs: [{ shape: [] }, { shape: [2, 3] }], torch: 'x0 + x1' },
  { name: 'int32 broadcast [3, 1] with [1, 4]', node: { op: 'add' }, inputs: [{ shape: [3, 1], dtype: 'int32', range: [-100, 100] }, { shape: [1, 4], dtype: 'int32', range: [-100, 100] }], torch: 'x0 + x1' },
];
