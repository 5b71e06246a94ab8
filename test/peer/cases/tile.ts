import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'multiples [1, 3], batch [4, 2]', node: { op: 'tile', multiples: [1, 3] }, inputs: [{ shape: [4, 2], batch: true }], torch: 'x0.repeat(1, 3)' },
  { name: 'multiples [2, 1, 2], [2, 3, 2]', node: { op: 'tile', multiples: [2, 1, 2] }, inputs: [{ shape: [2, 3, 2] }], torch: 'x0.repeat(2, 1, 2)' },
  { name: 'multiples [4], [3]', node: { op: 'tile', multiples: [4] }, inputs: [{ shape: [3] }], torch: 'x0.repeat(4)' },
  { name: 'int32 multiples [2, 2], [2, 3]', node: { op: 'tile', multiples: [2, 2] }, inputs: [{ shape: [2, 3], dtype: 'int32' }], torch: 'x0.repeat(2, 2)' },
];
