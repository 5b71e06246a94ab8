import type { PeerCase } from '../harness.js';

// Compared with arange, as TF's one_hot: an index outside 0 to depth - 1 gives a row of off_value (F.one_hot refuses it).
export const cases: readonly PeerCase[] = [
  {
    name: 'depth 10 of batch [6]',
    node: { op: 'one_hot', depth: 10 },
    inputs: [{ shape: [6], dtype: 'int32', range: [0, 10], batch: true }],
    torch: '(x0.unsqueeze(-1) == torch.arange(10)).float()',
  },
  {
    name: 'on 0.9, off 0.05, depth 4 of [2, 3] with an index outside',
    node: { op: 'one_hot', depth: 4, on_value: 0.9, off_value: 0.05 },
    inputs: [{ shape: [2, 3], dtype: 'int32', values: [0, 3, 1, 2, -1, 4] }],
    torch: 'torch.where(x0.unsqueeze(-1) == torch.arange(4), 0.9, 0.05).float()',
  },
  {
    name: 'depth 2 of a scalar',
    node: { op: 'one_hot', depth: 2, axis: -1 },
    inputs: [{ shape: [], dtype: 'int32', values: [1] }],
    torch: '(x0.unsqueeze(-1) == torch.arange(2)).float()',
  },
];
