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
  // Rank above 2: the last axis, as Keras Dense and torch's nn.Linear.
  { name: 'tanh, batch [3, 4, 5] → 6 (rank 3)', node: { op: 'dense', units: 6, activation: 'tanh' }, inputs: [{ shape: [3, 4, 5], batch: true }], torch: 'torch.tanh(x0 @ v["y/kernel"] + v["y/bias"])' },
  { name: 'softmax, [2, 3, 2, 4] → 3 (rank 4)', node: { op: 'dense', units: 3, activation: 'softmax' }, inputs: [{ shape: [2, 3, 2, 4] }], torch: 'F.softmax(x0 @ v["y/kernel"] + v["y/bias"], dim=-1)' },
];
