import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'same shapes [3, 4]', node: { op: 'maximum' }, inputs: [{ shape: [3, 4] }, { shape: [3, 4] }], torch: 'torch.maximum(x0, x1)' },
  { name: 'broadcast [2, 1, 3] with [4, 1]', node: { op: 'maximum' }, inputs: [{ shape: [2, 1, 3] }, { shape: [4, 1] }], torch: 'torch.maximum(x0, x1)' },
  { name: 'floor [] under batch [5, 3]', node: { op: 'maximum' }, inputs: [{ shape: [5, 3], batch: true }, { shape: [] }], torch: 'torch.maximum(x0, x1)' },
];
