import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[3, 4]', node: { op: 'neg' }, inputs: [{ shape: [3, 4] }], torch: '-x0' },
  { name: 'batch [5]', node: { op: 'neg' }, inputs: [{ shape: [5], batch: true }], torch: '-x0' },
  { name: 'scalar []', node: { op: 'neg' }, inputs: [{ shape: [] }], torch: '-x0' },
  { name: 'int32 [2, 3]', node: { op: 'neg' }, inputs: [{ shape: [2, 3], dtype: 'int32', range: [-100, 100] }], torch: '-x0' },
];
