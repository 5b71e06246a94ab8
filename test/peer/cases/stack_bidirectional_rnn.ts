import type { PeerCase } from '../harness.js';

// TF1's stack_bidirectional_dynamic_rnn against tf1.py's hand-written cells
// (GRUCell, BasicLSTMCell with forget bias 1) over the same variables; the
// block cells are the same functions fused. The keep probability is fed 1.
const keep = { keep_prob: { dtype: 'float32' as const, shape: [], value: 1 } };

const stack = (cell: string, layers: number, shape: [number, number, number], units: number, batch = false): PeerCase => ({
  name: `${cell}, ${layers} layer${layers > 1 ? 's' : ''}, ${batch ? 'batch ' : ''}[${shape.join(', ')}] → ${units} per direction`,
  node: { op: 'stack_bidirectional_rnn', layers, cell: { type: cell, units }, dropout: { output_keep_prob: 'keep_prob' } },
  inputs: [{ shape, batch }],
  extraPlaceholders: keep,
  // Weights in [-0.5, 0.5) keep the gates off saturation, so the gradients carry information.
  variableRange: [-0.5, 0.5],
  torch: `tf1.stack_bidirectional_dynamic_rnn(x0, v, '${cell}', ${layers})`,
});

export const cases: readonly PeerCase[] = [
  stack('gru', 1, [3, 4, 5], 6, true),
  stack('gru', 2, [2, 5, 3], 4),
  stack('block_gru', 1, [3, 4, 5], 6, true),
  stack('block_gru', 2, [2, 5, 3], 4),
  stack('lstm', 1, [3, 4, 5], 6, true),
  stack('lstm', 2, [2, 5, 3], 4),
  stack('block_lstm', 1, [3, 4, 5], 6, true),
  stack('block_lstm', 2, [2, 5, 3], 4),
  stack('block_gru', 1, [2, 28, 28], 8),
];
