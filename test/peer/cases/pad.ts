import type { PeerCase } from '../harness.js';

/** TF's mirrored padding of one dimension, written out: reflect leaves out the edge, symmetric repeats it. */
const MIRROR = `
def mirror(x, d, before, after, edge):
    n = x.shape[d]
    skip = 0 if edge else 1
    head = x.narrow(d, skip, before).flip(d)
    tail = x.narrow(d, n - after - skip, after).flip(d)
    return torch.cat([head, x, tail], d)
`;

export const cases: readonly PeerCase[] = [
  {
    name: 'constant 0, batch [4, 3, 5]',
    node: { op: 'pad', paddings: [[0, 0], [1, 2], [0, 3]] },
    inputs: [{ shape: [4, 3, 5], batch: true }],
    torch: 'F.pad(x0, (0, 3, 1, 2, 0, 0))',
  },
  {
    name: 'constant 1.5, [2, 3]',
    node: { op: 'pad', paddings: [[2, 0], [1, 1]], constant_values: 1.5 },
    inputs: [{ shape: [2, 3] }],
    torch: 'F.pad(x0, (1, 1, 2, 0), value=1.5)',
  },
  {
    name: 'reflect, [2, 4, 5]',
    node: { op: 'pad', paddings: [[0, 0], [3, 1], [2, 4]], mode: 'reflect' },
    inputs: [{ shape: [2, 4, 5] }],
    torch: `${MIRROR}\nout = mirror(mirror(x0, 1, 3, 1, False), 2, 2, 4, False)`,
  },
  {
    name: 'symmetric, [3, 4]',
    node: { op: 'pad', paddings: [[3, 2], [0, 4]], mode: 'symmetric' },
    inputs: [{ shape: [3, 4] }],
    torch: `${MIRROR}\nout = mirror(mirror(x0, 0, 3, 2, True), 1, 0, 4, True)`,
  },
  {
    name: 'int32 constant, [3]',
    node: { op: 'pad', paddings: [[1, 2]], constant_values: 7 },
    inputs: [{ shape: [3], dtype: 'int32' }],
    torch: 'F.pad(x0, (1, 2), value=7)',
  },
];
