import type { PeerCase } from '../harness.js';

// A variable node is the identity of its value: the cases check that y is the
// variable the harness filled (v['y']) and that its gradient is the cotangent.
export const cases: readonly PeerCase[] = [
  { name: '[3, 4]', node: { op: 'variable', shape: [3, 4] }, inputs: [], torch: "v['y']" },
  { name: '[5], constant init', node: { op: 'variable', shape: [5], init: { constant: 0.1 } }, inputs: [], torch: "v['y']" },
  { name: '[2, 2, 1, 3], truncated normal init', node: { op: 'variable', shape: [2, 2, 1, 3], init: { truncated_normal: { stddev: 0.1 } } }, inputs: [], torch: "v['y']" },
  { name: 'scalar []', node: { op: 'variable', shape: [] }, inputs: [], torch: "v['y']" },
];
