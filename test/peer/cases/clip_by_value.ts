import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: '[-0.5, 1] on [4, 5]', node: { op: 'clip_by_value', clip_value_min: -0.5, clip_value_max: 1 }, inputs: [{ shape: [4, 5] }], torch: 'torch.clamp(x0, -0.5, 1)' },
  { name: '[0, 6] on batch [3, 2, 4], range [-4, 10)', node: { op: 'clip_by_value', clip_value_min: 0, clip_value_max: 6 }, inputs: [{ shape: [3, 2, 4], batch: true, range: [-4, 10] }], torch: 'torch.clamp(x0, 0, 6)' },
];
