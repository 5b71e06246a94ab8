import type { PeerCase } from '../harness.js';

// Denominators are kept away from zero (either sign), where the quotient and its gradient stay well conditioned.
const denominator = { range: [0.5, 2] } as const;

export const cases: readonly PeerCase[] = [
  { name: 'same shapes [3, 4]', node: { op: 'div' }, inputs: [{ shape: [3, 4] }, { shape: [3, 4], ...denominator }], torch: 'x0 / x1' },
  { name: 'batch [5, 4] by row [4]', node: { op: 'div' }, inputs: [{ shape: [5, 4], batch: true }, { shape: [4], ...denominator }], torch: 'x0 / x1' },
  { name: 'broadcast [2, 1, 3] by [4, 1]', node: { op: 'div' }, inputs: [{ shape: [2, 1, 3] }, { shape: [4, 1], ...denominator }], torch: 'x0 / x1' },
  { name: 'batch [6, 3] by scalar []', node: { op: 'div' }, inputs: [{ shape: [6, 3], batch: true }, { shape: [], ...denominator }], torch: 'x0 / x1' },
  { name: 'negative denominators, [2, 5]', node: { op: 'div' }, inputs: [{ shape: [2, 5] }, { shape: [2, 5], range: [-2, -0.5] }], torch: 'x0 / x1' },
];
