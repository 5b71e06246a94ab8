import type { PeerCase } from '../harness.js';

// graphc is NWC with [width, in, out] filters (TF's layout); PyTorch's F.conv1d is NCW with [out, in, width]: permute both.
// TF's SAME pads (taps − 1) · dilation + 1 − stride… as for conv2d, the odd position after (tf1.same_padding).
const conv = (name: string, x: number[], filter: number[], padding: 'SAME' | 'VALID', stride = 1, dilation = 1, batch = false): PeerCase => ({
  name,
  node: { op: 'conv1d', padding, ...(stride > 1 ? { stride } : {}), ...(dilation > 1 ? { dilation } : {}) },
  inputs: [{ shape: x, batch }, { shape: filter }],
  torch: [
    'xc = x0.permute(0, 2, 1)',
    ...(padding === 'SAME' ? [`xc = F.pad(xc, tf1.same_padding(x0.shape[1], (x1.shape[0] - 1) * ${dilation} + 1, ${stride}))`] : []),
    `out = F.conv1d(xc, x1.permute(2, 1, 0), stride=${stride}, dilation=${dilation}).permute(0, 2, 1)`,
  ].join('\n'),
});

export const cases: readonly PeerCase[] = [
  conv('SAME, 3 taps, batch [2, 9, 3] → 4', [2, 9, 3], [3, 3, 4], 'SAME', 1, 1, true),
  conv('VALID, 3 taps, [2, 8, 2] → 5', [2, 8, 2], [3, 2, 5], 'VALID'),
  conv('SAME, stride 2, 4 taps (uneven padding), odd [1, 9, 2] → 3', [1, 9, 2], [4, 2, 3], 'SAME', 2),
  conv('VALID, stride 3, 2 taps, [2, 10, 3] → 2', [2, 10, 3], [2, 3, 2], 'VALID', 3),
  conv('SAME, dilation 2, 3 taps, [2, 8, 2] → 3', [2, 8, 2], [3, 2, 3], 'SAME', 1, 2),
  conv('VALID, dilation 3, 2 taps, [1, 9, 4] → 2', [1, 9, 4], [2, 4, 2], 'VALID', 1, 3),
  conv('VALID, 1 tap (a per-position dense layer), [3, 5, 4] → 6', [3, 5, 4], [1, 4, 6], 'VALID'),
];
