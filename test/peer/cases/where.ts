import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'same shapes [3, 4]', node: { op: 'where' }, inputs: [{ shape: [3, 4], dtype: 'bool' }, { shape: [3, 4] }, { shape: [3, 4] }], torch: 'torch.where(x0, x1, x2)' },
  { name: 'condition [5, 1], x [5, 4], y [4]', node: { op: 'where' }, inputs: [{ shape: [5, 1], dtype: 'bool' }, { shape: [5, 4], batch: true }, { shape: [4] }], torch: 'torch.where(x0, x1, x2)' },
  { name: 'scalar x, condition [2, 3], y [3]', node: { op: 'where' }, inputs: [{ shape: [2, 3], dtype: 'bool' }, { shape: [] }, { shape: [3] }], torch: 'torch.where(x0, x1, x2)' },
];
