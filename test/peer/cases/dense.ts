import type { PeerCase } from '../harness.js';

const activations = {
  linear: 'x0 @ v["y/kernel"] + v["y/bias"]',
  relu: 'F.relu(x0 @ v["y/kernel"] + v["y/bias"])',
  sigmoid: 'torch.sigmoid(x0 @ v["y/kernel"] + v["y/bias"])',
  tanh: 'torch.tanh(x0 @ v["y/kernel"] + v["y/bias"])',
  softmax: 'F.softmax(x0 @ v["y/kernel"] + v["y/bias"], dim=1)',
} as const;

export const cases: readonly PeerCase[] = [
  ...Object.entries(activations).map(([activation, torch]): PeerCase => ({
    name: `${activation}, batch [6, 5] → 4`,
    node: { op: 'dense', units: 4, activation },
    inputs: [{ shape: [6, 5], batch: true }],
    torch,
  })),
  { name: 'linear, no bias, [3, 8] → 2', node: { op: 'dense', units: 2, use_bias: false }, inputs: [{ shape: [3, 8] }], torch: 'x0 @ v["y/kernel"]' },
  { name: 'relu, [1, 32] → 16', node: { op: 'dense', units: 16, activation: 'relu' }, inputs: [{ shape: [1, 32] }], torch: 'F.relu(x0 @ v["y/kernel"] + v["y/bias"])' },
];
