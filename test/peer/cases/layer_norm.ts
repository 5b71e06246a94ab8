import type { PeerCase } from '../harness.js';

/** Normalisation over dimension `dim` written out, as torch computes LayerNorm (the biased variance). */
const normalised = (dim: number, epsilon: number): string =>
  `(x0 - x0.mean(${dim}, keepdim=True)) / torch.sqrt(x0.var(${dim}, unbiased=False, keepdim=True) + ${epsilon})`;

export const cases: readonly PeerCase[] = [
  {
    name: 'layer_norm over the last axis, [3, 5]',
    node: { op: 'layer_norm' },
    inputs: [{ shape: [3, 5] }],
    torch: "F.layer_norm(x0, (5,), v['y/gamma'], v['y/beta'], 1e-5)",
  },
  {
    name: 'layer_norm over the last axis, [2, 4, 6], epsilon 1e-3 (Keras\'s)',
    node: { op: 'layer_norm', epsilon: 0.001 },
    inputs: [{ shape: [2, 4, 6] }],
    torch: "F.layer_norm(x0, (6,), v['y/gamma'], v['y/beta'], 1e-3)",
  },
  {
    name: 'layer_norm over axis 1 of [2, 3, 4] (gamma and beta [3, 1])',
    node: { op: 'layer_norm', axis: 1 },
    inputs: [{ shape: [2, 3, 4] }],
    torch: `${normalised(1, 1e-5)} * v['y/gamma'] + v['y/beta']`,
  },
  {
    name: 'layer_norm without center or scale, [4, 3]',
    node: { op: 'layer_norm', center: false, scale: false },
    inputs: [{ shape: [4, 3] }],
    torch: 'F.layer_norm(x0, (3,), None, None, 1e-5)',
  },
];
