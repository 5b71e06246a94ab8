import type { PeerCase } from '../harness.js';

// Windows whose maximum is negative are graphc's wasm MaxPoolGrad's reason to be (stock
// tfjs-backend-wasm sends their gradient to the window's first element).
//
// NHWC; tf1.max_pool pads TF's SAME windows with -inf. Random float inputs have no ties within a window, so the gradient's route is unique.
const pool = (name: string, image: number[], ksize: number[], strides: number[], padding: 'SAME' | 'VALID', options: { batch?: boolean; range?: [number, number] } = {}): PeerCase => ({
  name,
  node: { op: 'max_pool', ksize, strides, padding },
  inputs: [{ shape: image, batch: options.batch ?? false, ...(options.range ? { range: options.range } : {}) }],
  torch: `tf1.max_pool(x0, ${JSON.stringify(ksize)}, ${JSON.stringify(strides)}, '${padding}')`,
});

export const cases: readonly PeerCase[] = [
  pool('2×2 stride 2 SAME, batch [2, 6, 6, 3]', [2, 6, 6, 3], [1, 2, 2, 1], [1, 2, 2, 1], 'SAME', { batch: true }),
  pool('2×2 stride 2 SAME, odd [1, 7, 5, 2]', [1, 7, 5, 2], [1, 2, 2, 1], [1, 2, 2, 1], 'SAME'),
  pool('2×2 stride 2 VALID, odd [2, 7, 7, 1]', [2, 7, 7, 1], [1, 2, 2, 1], [1, 2, 2, 1], 'VALID'),
  pool('3×3 stride 2 SAME, [1, 8, 8, 2]', [1, 8, 8, 2], [1, 3, 3, 1], [1, 2, 2, 1], 'SAME'),
  pool('3×3 stride 1 VALID, [2, 5, 6, 2]', [2, 5, 6, 2], [1, 3, 3, 1], [1, 1, 1, 1], 'VALID'),
  pool('2×3 strides 1×2 SAME, [1, 4, 7, 3]', [1, 4, 7, 3], [1, 2, 3, 1], [1, 1, 2, 1], 'SAME'),
  pool('2×2 stride 2 SAME after a relu (non-negative), batch [2, 6, 6, 3]', [2, 6, 6, 3], [1, 2, 2, 1], [1, 2, 2, 1], 'SAME', { batch: true, range: [0, 2] }),
  pool('2×2 stride 2 SAME after a relu (non-negative), odd [1, 7, 5, 4]', [1, 7, 5, 4], [1, 2, 2, 1], [1, 2, 2, 1], 'SAME', { range: [0, 2] }),
];
