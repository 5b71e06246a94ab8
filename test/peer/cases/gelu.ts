import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  { name: 'exact (erf), [3, 5]', node: { op: 'gelu' }, inputs: [{ shape: [3, 5] }], torch: 'F.gelu(x0)' },
  { name: 'exact (erf), batch [6, 4], range [-6, 6)', node: { op: 'gelu', approximate: 'none' }, inputs: [{ shape: [6, 4], batch: true, range: [-6, 6] }], torch: 'F.gelu(x0)' },
  { name: 'tanh, [2, 3, 4]', node: { op: 'gelu', approximate: 'tanh' }, inputs: [{ shape: [2, 3, 4] }], torch: "F.gelu(x0, approximate='tanh')" },
];
