import type { PeerCase } from '../harness.js';

// NHWC. TF's SAME average counts only the values inside the image: the sum over the zero-padded
// window over the count of real values (avg_pool2d of the padded input over that of a padded mask of ones).
const pool = (name: string, image: number[], ksize: number[], strides: number[], padding: 'SAME' | 'VALID', batch = false): PeerCase => {
  const k = `(${ksize[1]}, ${ksize[2]})`;
  const s = `(${strides[1]}, ${strides[2]})`;
  return {
    name,
    node: { op: 'avg_pool', ksize, strides, padding },
    inputs: [{ shape: image, batch }],
    torch: [
      'xc = x0.permute(0, 3, 1, 2)',
      `ones = torch.ones_like(xc[:, :1])`,
      ...(padding === 'SAME'
        ? [`xc = tf1._pad_nchw(xc, ${k}, ${s}, 'SAME', 0.0)`, `ones = tf1._pad_nchw(ones, ${k}, ${s}, 'SAME', 0.0)`]
        : []),
      `out = (F.avg_pool2d(xc, ${k}, stride=${s}) / F.avg_pool2d(ones, ${k}, stride=${s})).permute(0, 2, 3, 1)`,
    ].join('\n'),
  };
};

export const cases: readonly PeerCase[] = [
  pool('2×2 stride 2 SAME, batch [2, 6, 6, 3]', [2, 6, 6, 3], [1, 2, 2, 1], [1, 2, 2, 1], 'SAME', true),
  pool('2×2 stride 2 SAME, odd [1, 7, 5, 2] (border windows average fewer values)', [1, 7, 5, 2], [1, 2, 2, 1], [1, 2, 2, 1], 'SAME'),
  pool('2×2 stride 2 VALID, odd [2, 7, 7, 1]', [2, 7, 7, 1], [1, 2, 2, 1], [1, 2, 2, 1], 'VALID'),
  pool('3×3 stride 1 SAME, [1, 5, 5, 2]', [1, 5, 5, 2], [1, 3, 3, 1], [1, 1, 1, 1], 'SAME'),
  pool('3×3 stride 2 VALID, [2, 7, 6, 2]', [2, 7, 6, 2], [1, 3, 3, 1], [1, 2, 2, 1], 'VALID'),
  pool('2×3 strides 1×2 SAME, [1, 4, 7, 3]', [1, 4, 7, 3], [1, 2, 3, 1], [1, 1, 2, 1], 'SAME'),
];
