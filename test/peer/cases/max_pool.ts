import type { PeerCase } from '../harness.js';

/**
 * Stock tfjs-backend-wasm's MaxPoolGrad sends the gradient of a window whose
 * maximum is negative to the window's first element (cpu and webgpu agree with
 * PyTorch). Pooling after a relu, as graphs/cnn.yaml does, never meets it.
 */
const WASM_MAX_POOL_GRAD = { reason: "tfjs-backend-wasm's MaxPoolGrad routes a window with a negative maximum to its first element", backends: ['wasm'] } as const;

// NHWC; tf1.max_pool pads TF's SAME windows with -inf. Random float inputs have no ties within a window, so the gradient's route is unique.
const pool = (name: string, image: number[], ksize: number[], strides: number[], padding: 'SAME' | 'VALID', options: { batch?: boolean; range?: [number, number]; wasmGradBug?: boolean } = {}): PeerCase => ({
  name,
  node: { op: 'max_pool', ksize, strides, padding },
  inputs: [{ shape: image, batch: options.batch ?? false, ...(options.range ? { range: options.range } : {}) }],
  torch: `tf1.max_pool(x0, ${JSON.stringify(ksize)}, ${JSON.stringify(strides)}, '${padding}')`,
  ...(options.wasmGradBug ? { knownFailure: WASM_MAX_POOL_GRAD } : {}),
});

export const cases: readonly PeerCase[] = [
  pool('2×2 stride 2 SAME, batch [2, 6, 6, 3]', [2, 6, 6, 3], [1, 2, 2, 1], [1, 2, 2, 1], 'SAME', { batch: true, wasmGradBug: true }),
  pool('2×2 stride 2 SAME, odd [1, 7, 5, 2]', [1, 7, 5, 2], [1, 2, 2, 1], [1, 2, 2, 1], 'SAME', { wasmGradBug: true }),
  pool('2×2 stride 2 VALID, odd [2, 7, 7, 1]', [2, 7, 7, 1], [1, 2, 2, 1], [1, 2, 2, 1], 'VALID', { wasmGradBug: true }),
  pool('3×3 stride 2 SAME, [1, 8, 8, 2]', [1, 8, 8, 2], [1, 3, 3, 1], [1, 2, 2, 1], 'SAME'),
  pool('3×3 stride 1 VALID, [2, 5, 6, 2]', [2, 5, 6, 2], [1, 3, 3, 1], [1, 1, 1, 1], 'VALID'),
  pool('2×3 strides 1×2 SAME, [1, 4, 7, 3]', [1, 4, 7, 3], [1, 2, 3, 1], [1, 1, 2, 1], 'SAME', { wasmGradBug: true }),
  pool('2×2 stride 2 SAME after a relu (non-negative), batch [2, 6, 6, 3]', [2, 6, 6, 3], [1, 2, 2, 1], [1, 2, 2, 1], 'SAME', { batch: true, range: [0, 2] }),
  pool('2×2 stride 2 SAME after a relu (non-negative), odd [1, 7, 5, 4]', [1, 7, 5, 4], [1, 2, 2, 1], [1, 2, 2, 1], 'SAME', { range: [0, 2] }),
];
