import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'same shapes [3, 4]', node: { op: 'sub' }, inputs: [{ shape: [3, 4] }, { shape: [3, 4] }], torch: 'x0 - x1' },
  { name: 'row [4] from batch [5, 4]', node: { op: 'sub' }, inputs: [{ shape: [5, 4], batch: true }, { shape: [4] }], torch: 'x0 - x1' },
  { name: 'batch [5, 4] from column [5, 1]', node: { op: 'sub' }, inputs: [{ shape: [5, 1] }, { shape: [5, 4] }], torch: 'x0 - x1' },
  { name: 'broadcast [2, 1, 3] with [4, 1]', node: { op: 'sub' }, inputs: [{ shape: [2, 1, 3] }, { shape: [4, 1] }], torch: 'x0 - x1' },
  { name: 'scalar [] minus [2, 3]', node: { op: 'sub' }, inputs: [{ shape: [] }, { shape: [2, 3] }], torch: 'x0 - x1' },
  { name: 'int32 [3, 4] minus [4]', node: { op: 'sub' }, inputs: [{ shape: [3, 4], dtype: 'int32', range: [-100, 100] }, { shape: [4], dtype: 'int32', range: [-100, 100] }], torch: 'x0 - x1' },
];
