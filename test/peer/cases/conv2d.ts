import type { PeerCase } from '../harness.js';

// graphc is NHWC with HWIO filters (TF's layout); tf1.conv2d permutes to PyTorch's NCHW/OIHW and pads as TF's SAME does (the odd pixel after).
const conv = (name: string, image: number[], filter: number[], strides: number[], padding: 'SAME' | 'VALID', batch = false): PeerCase => ({
  name,
  node: { op: 'conv2d', strides, padding },
  inputs: [{ shape: image, batch }, { shape: filter }],
  torch: `tf1.conv2d(x0, x1, ${JSON.stringify(strides)}, '${padding}')`,
});

export const cases: readonly PeerCase[] = [
  conv('SAME, stride 1, 3×3, batch [2, 6, 6, 3] → 4', [2, 6, 6, 3], [3, 3, 3, 4], [1, 1, 1, 1], 'SAME', true),
  conv('VALID, stride 1, 3×3, [2, 6, 5, 2] → 3', [2, 6, 5, 2], [3, 3, 2, 3], [1, 1, 1, 1], 'VALID'),
  conv('SAME, stride 2, 3×3, odd [1, 7, 7, 2] → 2', [1, 7, 7, 2], [3, 3, 2, 2], [1, 2, 2, 1], 'SAME'),
  conv('SAME, stride 2, 4×4 (uneven padding), [2, 8, 8, 1] → 3', [2, 8, 8, 1], [4, 4, 1, 3], [1, 2, 2, 1], 'SAME'),
  conv('VALID, strides 2×1, 2×3, [2, 7, 6, 2] → 2', [2, 7, 6, 2], [2, 3, 2, 2], [1, 2, 1, 1], 'VALID'),
  conv('SAME, 5×5 as the MNIST tutorial, batch [2, 9, 9, 1] → 4', [2, 9, 9, 1], [5, 5, 1, 4], [1, 1, 1, 1], 'SAME', true),
  conv('VALID, 1×1, [3, 4, 4, 5] → 2', [3, 4, 4, 5], [1, 1, 5, 2], [1, 1, 1, 1], 'VALID'),
];
