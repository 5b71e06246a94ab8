import type { PeerCase } from '../harness.js';

/**
 * The attention written out in torch: the projections as matmuls over the op's
 * variables, heads split as [batch, heads, T, dim], softmax(q·kᵀ/√key_dim + mask)·v.
 * `key` and `value` are the Python names of those inputs; `mask`, when given, a
 * Python expression of a bool [batch, Tq, Tk] tensor, true where attending is allowed.
 */
function composition(o: { heads: number; keyDim: number; valueDim: number; key: string; value: string; mask?: string; bias?: boolean }): string {
  const project = (x: string, name: string): string => `${x} @ v['y/${name}/kernel']${o.bias === false ? '' : ` + v['y/${name}/bias']`}`;
  return [
    `q = (${project('x0', 'query')}).reshape(x0.shape[0], x0.shape[1], ${o.heads}, ${o.keyDim}).transpose(1, 2)`,
    `k = (${project(o.key, 'key')}).reshape(${o.key}.shape[0], ${o.key}.shape[1], ${o.heads}, ${o.keyDim}).transpose(1, 2)`,
    `vv = (${project(o.value, 'value')}).reshape(${o.value}.shape[0], ${o.value}.shape[1], ${o.heads}, ${o.valueDim}).transpose(1, 2)`,
    `s = q @ k.transpose(-1, -2) / ${Math.sqrt(o.keyDim)}`,
    ...(o.mask ? [`s = s.masked_fill(~(${o.mask})[:, None], -1e9)`] : []),
    `c = (F.softmax(s, -1) @ vv).transpose(1, 2).reshape(x0.shape[0], x0.shape[1], ${o.heads * o.valueDim})`,
    `out = ${project('c', 'output')}`,
  ].join('\n');
}

// A padding mask for a batch of 2 with 4 keys: the first example attends to its first 3 keys, the second to all 4.
const paddingMask = [1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];

export const cases: readonly PeerCase[] = [
  {
    name: 'self-attention, 2 heads of 4, [2, 5, 8]',
    node: { op: 'multi_head_attention', num_heads: 2 },
    inputs: [{ shape: [2, 5, 8] }, { shape: [2, 5, 8] }],
    torch: composition({ heads: 2, keyDim: 4, valueDim: 4, key: 'x1', value: 'x1' }),
  },
  {
    name: 'against torch\'s own multi_head_attention_forward, the variables mapped to in_proj_weight and out_proj, [2, 5, 8], 2 heads',
    node: { op: 'multi_head_attention', num_heads: 2 },
    inputs: [{ shape: [2, 5, 8] }, { shape: [2, 6, 8] }],
    torch: [
      "in_w = torch.cat([v['y/query/kernel'].T, v['y/key/kernel'].T, v['y/value/kernel'].T])",
      "in_b = torch.cat([v['y/query/bias'], v['y/key/bias'], v['y/value/bias']])",
      'out = F.multi_head_attention_forward(x0.transpose(0, 1), x1.transpose(0, 1), x1.transpose(0, 1), 8, 2, in_w, in_b, None, None, False, 0.0,',
      "    v['y/output/kernel'].T, v['y/output/bias'], training=False, need_weights=False)[0].transpose(0, 1)",
    ].join('\n'),
  },
  {
    name: 'cross-attention with a separate key: query [2, 3, 6], value [2, 4, 5], key [2, 4, 7]; key_dim 3, value_dim 2, output_dim 4, 3 heads',
    node: { op: 'multi_head_attention', num_heads: 3, key_dim: 3, value_dim: 2, output_dim: 4 },
    inputs: [{ shape: [2, 3, 6] }, { shape: [2, 4, 5] }, { shape: [2, 4, 7] }],
    torch: composition({ heads: 3, keyDim: 3, valueDim: 2, key: 'x2', value: 'x1' }),
  },
  {
    name: 'self-attention without biases, 1 head of 6, [3, 4, 6]',
    node: { op: 'multi_head_attention', num_heads: 1, use_bias: false },
    inputs: [{ shape: [3, 4, 6] }, { shape: [3, 4, 6] }],
    torch: composition({ heads: 1, keyDim: 6, valueDim: 6, key: 'x1', value: 'x1', bias: false }),
  },
  {
    name: 'a bool padding mask [2, 3, 4] and a keep_prob placeholder at 1, 2 heads of 2, query [2, 3, 4], value [2, 4, 4]',
    node: { op: 'multi_head_attention', num_heads: 2, mask: 'attend', keep_prob: 'keep' },
    inputs: [{ shape: [2, 3, 4] }, { shape: [2, 4, 4] }],
    extraPlaceholders: {
      attend: { dtype: 'bool', shape: [2, 3, 4], value: paddingMask },
      keep: { dtype: 'float32', shape: [], value: 1 },
    },
    torch: composition({ heads: 2, keyDim: 2, valueDim: 2, key: 'x1', value: 'x1', mask: `torch.tensor(${JSON.stringify(paddingMask)}).reshape(2, 3, 4).bool()` }),
  },
  {
    name: 'a float mask [4] over the keys (broadcast over batch and queries), [2, 3, 4]',
    node: { op: 'multi_head_attention', num_heads: 2, mask: 'attend' },
    inputs: [{ shape: [2, 3, 4] }, { shape: [2, 4, 4] }],
    extraPlaceholders: { attend: { dtype: 'float32', shape: [4], value: [1, 0, 1, 1] } },
    torch: composition({ heads: 2, keyDim: 2, valueDim: 2, key: 'x1', value: 'x1', mask: 'torch.tensor([1, 0, 1, 1]).bool().expand(2, 3, 4)' }),
  },
];
