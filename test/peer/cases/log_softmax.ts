import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'last axis, batch [4, 10]', node: { op: 'log_softmax' }, inputs: [{ shape: [4, 10], batch: true }], torch: 'F.log_softmax(x0, dim=-1)' },
  { name: 'axis 1 of [2, 3, 5]', node: { op: 'log_softmax', axis: 1 }, inputs: [{ shape: [2, 3, 5] }], torch: 'F.log_softmax(x0, dim=1)' },
  { name: 'axis 0 of [4, 3]', node: { op: 'log_softmax', axis: 0 }, inputs: [{ shape: [4, 3] }], torch: 'F.log_softmax(x0, dim=0)' },
  { name: 'large logits in [-30, 30), [3, 7]', node: { op: 'log_softmax', axis: -1 }, inputs: [{ shape: [3, 7], range: [-30, 30] }], torch: 'F.log_softmax(x0, dim=-1)' },
];
