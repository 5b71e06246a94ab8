import type { PeerCase, PeerInput } from '../harness.js';
import { bidirectionalTorch, torchGru } from '../rnn_torch.js';

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

const x = (batch: number, time: number, features: number): PeerInput => ({ shape: [batch, time, features], batch: true });
const lengths = (values: number[]): PeerInput => ({ shape: [values.length], dtype: 'int32', values, batch: true });
const tolerance = { rtol: 1e-4, atol: 5e-5 };

const RECURRENT_OPTIONS: readonly PeerCase[] = [
  ...(['gru', 'block_gru'] as const).flatMap((type): PeerCase[] => [
    {
      name: `${type}, reset_after, 2 layers, [3, 5, 4] → 2·5 (bidirectional torch.nn.GRU)`,
      node: { op: 'stack_bidirectional_rnn', layers: 2, cell: { type, units: 5, reset_after: true } },
      inputs: [x(3, 5, 4)],
      torch: torchGru(2, true, 'sequences', false),
      tolerance,
    },
    {
      name: `${type}, reset_after, lengths [6, 2, 4, 1], every step (torch.nn.GRU, packed)`,
      node: { op: 'stack_bidirectional_rnn', layers: 2, cell: { type, units: 4, reset_after: true } },
      inputs: [x(4, 6, 3), lengths([6, 2, 4, 1])],
      torch: torchGru(2, true, 'sequences', true),
      tolerance,
    },
    {
      name: `${type}, TF1 form, lengths [4, 2, 3], last output`,
      node: { op: 'stack_bidirectional_rnn', layers: 1, cell: { type, units: 4 }, return_sequences: false },
      inputs: [x(3, 4, 3), lengths([4, 2, 3])],
      torch: bidirectionalTorch(1, 'gru', 'last', true),
      tolerance,
    },
  ]),
  {
    name: 'block_gru, reset_after, lengths [5, 3, 2], final state (bidirectional torch.nn.GRU h_n)',
    node: { op: 'stack_bidirectional_rnn', layers: 1, cell: { type: 'block_gru', units: 4, reset_after: true }, return_state: true },
    inputs: [x(3, 5, 3), lengths([5, 3, 2])],
    torch: torchGru(1, true, 'state', true),
    tolerance,
  },
  {
    name: 'gru, reset_after, lengths [3, 1], last output (bidirectional torch.nn.GRU, packed)',
    node: { op: 'stack_bidirectional_rnn', layers: 1, cell: { type: 'gru', units: 3, reset_after: true }, return_sequences: false },
    inputs: [x(2, 4, 3), lengths([3, 1])],
    torch: torchGru(1, true, 'last', true),
    tolerance,
  },
  ...(['lstm', 'block_lstm'] as const).flatMap((type): PeerCase[] => [
    {
      name: `${type}, lengths [5, 2, 3], final state`,
      node: { op: 'stack_bidirectional_rnn', layers: 1, cell: { type, units: 3 }, return_state: true },
      inputs: [x(3, 5, 3), lengths([5, 2, 3])],
      torch: bidirectionalTorch(1, 'lstm', 'state', true),
      tolerance,
    },
  ]),
];

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
  // reset_after (against torch.nn.GRU), sequence lengths, the last output and the final state: test/peer/rnn_torch.ts.
  ...RECURRENT_OPTIONS,
];
