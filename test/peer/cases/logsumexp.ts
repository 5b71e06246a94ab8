import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'all axes, [3, 4]', node: { op: 'logsumexp' }, inputs: [{ shape: [3, 4] }], torch: 'torch.logsumexp(x0.reshape(-1), 0)' },
  { name: 'axis 1, batch [4, 10]', node: { op: 'logsumexp', axis: 1 }, inputs: [{ shape: [4, 10], batch: true }], torch: 'torch.logsumexp(x0, 1)' },
  { name: 'axis -1 keepdims, large values in [-50, 50), [2, 3, 5]', node: { op: 'logsumexp', axis: -1, keepdims: true }, inputs: [{ shape: [2, 3, 5], range: [-50, 50] }], torch: 'torch.logsumexp(x0, -1, keepdim=True)' },
  { name: 'axis 0, [6, 2]', node: { op: 'logsumexp', axis: 0 }, inputs: [{ shape: [6, 2] }], torch: 'torch.logsumexp(x0, 0)' },
];
