/**
 * PyTorch for the recurrent stacks' peer cases (cases/dynamic_rnn.ts,
 * cases/stack_bidirectional_rnn.ts). Two references:
 *
 * - TF1's cells (GRUCell, BasicLSTMCell), which PyTorch does not have, as a
 *   hand-written recurrence over graphc's variables, with TF1's
 *   sequence_length semantics (zero outputs, state carried) and
 *   tf.reverse_sequence for the backward direction.
 * - reset_after GRUs through torch.nn.GRU itself, its parameters built from
 *   graphc's variables by the mapping documented in
 *   src/runtime/rnn/gru_weights.ts (so the mapping is tested too) and set as
 *   the module's flat weights (what its forward reads), so that gradients
 *   reach the variables; lengths through pack_padded_sequence /
 *   pad_packed_sequence.
 */

/** Python: `seq(x, pre, kind, lengths, reverse)` → (outputs [B, T, H], final state) for kind 'gru', 'gru_after' or 'lstm'. */
const RECURRENCE = `
def seq(x, pre, kind, lengths, reverse):
    B, T, I = x.shape
    H = v[pre + '/bias'].shape[0] // 4 if kind == 'lstm' else v[pre + '/candidate/bias'].shape[0]
    h = torch.zeros(B, H)
    c = torch.zeros(B, H)
    outs = [None] * T
    for t in (range(T - 1, -1, -1) if reverse else range(T)):
        xt = x[:, t]
        if kind == 'lstm':
            i, j, f, o = (torch.cat([xt, h], 1) @ v[pre + '/kernel'] + v[pre + '/bias']).split(H, 1)
            c2 = c * torch.sigmoid(f + 1.0) + torch.sigmoid(i) * torch.tanh(j)
            h2 = torch.tanh(c2) * torch.sigmoid(o)
        else:
            g = torch.sigmoid(torch.cat([xt, h], 1) @ v[pre + '/gates/kernel'] + v[pre + '/gates/bias'])
            r, u = g[:, :H], g[:, H:]
            W = v[pre + '/candidate/kernel']
            if kind == 'gru_after':
                n = torch.tanh(xt @ W[:I] + v[pre + '/candidate/bias'] + r * (h @ W[I:] + v[pre + '/candidate/recurrent_bias']))
            else:
                n = torch.tanh(torch.cat([xt, r * h], 1) @ W + v[pre + '/candidate/bias'])
            h2 = u * h + (1 - u) * n
            c2 = c
        if lengths is None:
            h, c, outs[t] = h2, c2, h2
        else:
            m = (t < lengths).float().unsqueeze(1)
            h, c, outs[t] = m * h2 + (1 - m) * h, m * c2 + (1 - m) * c, m * h2
    return torch.stack(outs, 1), (torch.cat([c, h], 1) if kind == 'lstm' else h)

def last(outputs, lengths):
    if lengths is None:
        return outputs[:, -1]
    return outputs[torch.arange(outputs.shape[0]), (lengths - 1).clamp(min=0)]
`;

/** Python: `torch_gru(x, prefixes, lengths, bidirectional)` → torch.nn.GRU's (outputs, h_n) on graphc's reset_after variables. */
const TORCH_GRU = `
def torch_params(pre, I):
    Wg, bg = v[pre + '/gates/kernel'], v[pre + '/gates/bias']
    Wc, bc, bch = v[pre + '/candidate/kernel'], v[pre + '/candidate/bias'], v[pre + '/candidate/recurrent_bias']
    H = bc.shape[0]
    # Gate order r, z, n; torch's weights are [out, in]; the gates' biases enter as a sum, so all of it goes in bias_ih.
    w_ih = torch.cat([Wg[:I, :H].t(), Wg[:I, H:].t(), Wc[:I].t()], 0)
    w_hh = torch.cat([Wg[I:, :H].t(), Wg[I:, H:].t(), Wc[I:].t()], 0)
    return w_ih, w_hh, torch.cat([bg, bc]), torch.cat([torch.zeros(2 * H), bch])

def torch_gru(x, layers, lengths, bidirectional):
    B, T, I = x.shape
    H = v[layers[0][0] + '/candidate/bias'].shape[0]
    gru = torch.nn.GRU(I, H, num_layers=len(layers), batch_first=True, bidirectional=bidirectional)
    params = {}
    for l, directions in enumerate(layers):
        size = I if l == 0 else H * len(directions)
        for pre, suffix in zip(directions, ['', '_reverse']):
            w_ih, w_hh, b_ih, b_hh = torch_params(pre, size)
            params.update({'weight_ih_l%d%s' % (l, suffix): w_ih, 'weight_hh_l%d%s' % (l, suffix): w_hh, 'bias_ih_l%d%s' % (l, suffix): b_ih, 'bias_hh_l%d%s' % (l, suffix): b_hh})
    gru._flat_weights = [params[name] for name in gru._flat_weights_names]
    if lengths is None:
        return gru(x)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    o, hn = gru(packed)
    return torch.nn.utils.rnn.pad_packed_sequence(o, batch_first=True, total_length=T)[0], hn
`;

export type TorchCell = 'gru' | 'gru_after' | 'lstm';
export type TorchOutput = 'sequences' | 'last' | 'state';

/** dynamic_rnn over x0 (lengths x1 when given) with the hand-written recurrence. */
export function multiRnnTorch(layers: number, kind: TorchCell, output: TorchOutput, lengths: boolean): string {
  const len = lengths ? 'x1' : 'None';
  return `${RECURRENCE}
h = x0
for l in range(${layers}):
    h, state = seq(h, 'y/cell_%d' % l, '${kind}', ${len}, False)
out = ${output === 'sequences' ? 'h' : output === 'last' ? `last(h, ${len})` : 'state'}
`;
}

/** stack_bidirectional_rnn over x0 (lengths x1 when given) with the hand-written recurrence. */
export function bidirectionalTorch(layers: number, kind: TorchCell, output: TorchOutput, lengths: boolean): string {
  const len = lengths ? 'x1' : 'None';
  return `${RECURRENCE}
h = x0
for l in range(${layers}):
    fw, fw_state = seq(h, 'y/layer_%d/fw' % l, '${kind}', ${len}, False)
    bw, bw_state = seq(h, 'y/layer_%d/bw' % l, '${kind}', ${len}, True)
    h = torch.cat([fw, bw], 2)
out = ${output === 'sequences' ? 'h' : output === 'last' ? `torch.cat([last(fw, ${len}), bw[:, 0]], 1)` : 'torch.cat([fw_state, bw_state], 1)'}
`;
}

/** A reset_after GRU stack through torch.nn.GRU (bidirectional: stack_bidirectional_rnn's variables, else dynamic_rnn's). */
export function torchGru(layers: number, bidirectional: boolean, output: TorchOutput, lengths: boolean): string {
  const prefixes = Array.from({ length: layers }, (_, l) => (bidirectional ? [`y/layer_${l}/fw`, `y/layer_${l}/bw`] : [`y/cell_${l}`]));
  const len = lengths ? 'x1' : 'None';
  // h_n is [layers · directions, B, H]; the last layer's are its last rows.
  const state = bidirectional ? 'torch.cat([hn[-2], hn[-1]], 1)' : 'hn[-1]';
  const H = `o.shape[2] // ${bidirectional ? 2 : 1}`;
  const lastOut = bidirectional ? `torch.cat([last(o[:, :, :${H}], ${len}), o[:, 0, ${H}:]], 1)` : `last(o, ${len})`;
  return `${RECURRENCE}${TORCH_GRU}
o, hn = torch_gru(x0, ${JSON.stringify(prefixes)}, ${len}, ${bidirectional ? 'True' : 'False'})
out = ${output === 'sequences' ? 'o' : output === 'last' ? lastOut : state}
`;
}
