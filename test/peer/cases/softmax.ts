import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'batch [4, 10]', node: { op: 'softmax' }, inputs: [{ shape: [4, 10], batch: true }], torch: 'F.softmax(x0, dim=-1)' },
  { name: 'last axis of [2, 3, 5]', node: { op: 'softmax' }, inputs: [{ shape: [2, 3, 5] }], torch: 'F.softmax(x0, dim=-1)' },
  { name: 'large logits in [-30, 30), [3, 7]', node: { op: 'softmax' }, inputs: [{ shape: [3, 7], range: [-30, 30] }], torch: 'F.softmax(x0, dim=-1)' },
  { name: 'one class, [3, 1]', node: { op: 'softmax' }, inputs: [{ shape: [3, 1] }], torch: 'F.softmax(x0, dim=-1)' },
  { name: 'a vector [6]', node: { op: 'softmax' }, inputs: [{ shape: [6] }], torch: 'F.softmax(x0, dim=-1)' },
];
