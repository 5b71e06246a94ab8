import type { PeerCase } from '../harness.js';

// TF1's dynamic_rnn over MultiRNNCell against tf1.py's hand-written cells; the keep probability is fed 1.
const keep = { keep_prob: { dtype: 'float32' as const, shape: [], value: 1 } };

const rnn = (cell: string, layers: number, shape: [number, number, number], units: number, batch = false): PeerCase => ({
  name: `${cell}, ${layers} layer${layers > 1 ? 's' : ''}, ${batch ? 'batch ' : ''}[${shape.join(', ')}] → ${units}`,
  node: { op: 'dynamic_rnn', layers, cell: { type: cell, units }, dropout: { output_keep_prob: 'keep_prob' } },
  inputs: [{ shape, batch }],
  extraPlaceholders: keep,
  variableRange: [-0.5, 0.5],
  torch: `tf1.dynamic_rnn(x0, v, '${cell}', ${layers})`,
});

export const cases: readonly PeerCase[] = [
  rnn('gru', 1, [3, 4, 5], 6, true),
  rnn('gru', 2, [2, 5, 3], 4),
  rnn('block_gru', 1, [3, 4, 5], 6, true),
  rnn('block_gru', 2, [2, 5, 3], 4),
  rnn('lstm', 1, [3, 4, 5], 6, true),
  rnn('lstm', 2, [2, 5, 3], 4),
  rnn('block_lstm', 1, [3, 4, 5], 6, true),
  rnn('block_lstm', 2, [2, 5, 3], 4),
];
