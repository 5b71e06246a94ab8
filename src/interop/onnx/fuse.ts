/**
 * Decompositions exporters write, recognised before the import walks the
 * graph and replaced by one node each that graphc has an op for:
 *
 * - LayerNorm as ReduceMean → Sub → Pow 2 → ReduceMean → Add ε → Sqrt → Div
 *   (→ Mul γ → Add β), as torch.onnx.export writes nn.LayerNorm below opset 17:
 *   a LayerNormalization.
 * - The exact GELU as x·½·(1 + Erf(x/√2)) in any order of the products, and
 *   with x/√2 as a Div or a Mul by 1/√2: a Gelu.
 * - nn.MultiheadAttention as torch writes it (a packed in-projection sliced in
 *   three, heads by Reshape and Transpose, q scaled by 1/√d, Softmax(q·kᵀ)·v,
 *   the heads merged and projected by a Gemm), and as graphc's own export
 *   writes multi_head_attention (separate projections, the scores scaled):
 *   a multi_head_attention over the same weights.
 *
 * Each match is checked to be closed (no value inside it is read outside
 * but by the shape arithmetic that dies with it); what does not match is left
 * as it was, for the walk to import or refuse node by node.
 */
import { AttributeType, DataType, floatTensor, tensorFloats, type OnnxModel, type OnnxNode, type OnnxTensor } from './proto.js';
import { transpose2d } from './values.js';

/** The domain of the nodes the fusions write: not a real ONNX domain, so no file can contain them. */
export const FUSED_DOMAIN = 'graphc.fused';

/** What the fusions found, for the import's summary and tests. */
export interface Fused {
  readonly model: OnnxModel;
  readonly counts: Readonly<Record<'LayerNormalization' | 'Gelu' | 'MultiHeadAttention', number>>;
}

const SQRT2 = Math.SQRT2;

function near(a: number, b: number, rel = 1e-5): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

class GraphView {
  readonly producer = new Map<string, OnnxNode>();
  readonly readers = new Map<string, OnnxNode[]>();
  readonly initializers = new Map<string, OnnxTensor>();
  readonly outputs: Set<string>;

  constructor(
    readonly nodes: readonly OnnxNode[],
    model: OnnxModel,
  ) {
    for (const t of model.graph.initializer) this.initializers.set(t.name, t);
    for (const n of nodes) {
      for (const o of n.output) this.producer.set(o, n);
      for (const i of n.input) if (i !== '') this.readers.set(i, [...(this.readers.get(i) ?? []), n]);
    }
    this.outputs = new Set(model.graph.output.map((o) => o.name));
  }

  /** A float constant's values and dims: an initializer, a Constant node, or an Identity of one (of one: a malformed file's Identity cycle ends here). */
  constant(name: string, depth = 0): { dims: readonly number[]; data: Float32Array } | undefined {
    const t = this.initializers.get(name);
    if (t !== undefined) {
      if (t.dataType !== DataType.FLOAT && t.dataType !== DataType.DOUBLE) return undefined;
      const data = tensorFloats(t);
      return data && { dims: t.dims, data };
    }
    const p = this.producer.get(name);
    if (p?.opType === 'Identity') return depth < 8 ? this.constant(p.input[0]!, depth + 1) : undefined;
    if (p?.opType !== 'Constant') return undefined;
    const value = p.attribute.find((a) => a.name === 'value');
    if (value?.t !== undefined && (value.t.dataType === DataType.FLOAT || value.t.dataType === DataType.DOUBLE)) {
      const data = tensorFloats(value.t);
      return data && { dims: value.t.dims, data };
    }
    const f = p.attribute.find((a) => a.name === 'value_float');
    return f?.f !== undefined ? { dims: [], data: Float32Array.of(f.f) } : undefined;
  }

  /** A scalar float constant (one element). */
  scalar(name: string): number | undefined {
    const c = this.constant(name);
    return c !== undefined && c.data.length === 1 ? c.data[0] : undefined;
  }

  op(name: string | undefined, opType: string): OnnxNode | undefined {
    if (name === undefined) return undefined;
    const p = this.producer.get(name);
    return p !== undefined && p.opType === opType && (p.domain === '' || p.domain === 'ai.onnx') ? p : undefined;
  }

  /** The one node reading a value, not counting Shape nodes (their arithmetic dies with a fused match). */
  only(name: string): OnnxNode | undefined {
    const r = this.readers.get(name)?.filter((n) => n.opType !== 'Shape');
    return r !== undefined && r.length === 1 && !this.outputs.has(name) ? r[0] : undefined;
  }

  /** Of a binary node's two inputs, the one that is not `x`. */
  other(node: OnnxNode, x: string): string | undefined {
    if (node.input[0] === x) return node.input[1];
    if (node.input[1] === x) return node.input[0];
    return undefined;
  }
}

interface Match {
  /** The nodes the fused node replaces (shape arithmetic reading them dies with them). */
  readonly nodes: readonly OnnxNode[];
  readonly fused: OnnxNode;
  readonly initializers: readonly OnnxTensor[];
}

function attrInts(node: OnnxNode, name: string): readonly number[] | undefined {
  return node.attribute.find((a) => a.name === name)?.ints;
}

function attrInt(node: OnnxNode, name: string): number | undefined {
  return node.attribute.find((a) => a.name === name)?.i;
}

/** The scope of a PyTorch node name ('/layer/norm1/Div' → '/layer/norm1'). */
function scope(node: OnnxNode): string {
  const i = node.name.lastIndexOf('/');
  return i > 0 ? node.name.slice(0, i) : '';
}

// ------------------------------------------------------------ LayerNorm

/** Whether a ReduceMean averages over the last axis only and keeps it (opset 13's axes attribute, or opset 18's input). */
function meanOverLast(g: GraphView, node: OnnxNode, rank: number | undefined): boolean {
  const axes = attrInts(node, 'axes');
  if (axes === undefined || axes.length !== 1) return false;
  if ((attrInt(node, 'keepdims') ?? 1) === 0) return false;
  return axes[0] === -1 || (rank !== undefined && axes[0] === rank - 1);
}

function layerNorm(g: GraphView, div: OnnxNode): Match | undefined {
  const [centred, deviation] = div.input as [string, string];
  const sqrt = g.op(deviation, 'Sqrt');
  const addEps = g.op(sqrt?.input[0], 'Add');
  if (!sqrt || !addEps) return undefined;
  const variance = addEps.input.find((i) => g.op(i, 'ReduceMean'));
  const epsilon = variance === undefined ? undefined : g.scalar(g.other(addEps, variance)!);
  const meanSq = g.op(variance, 'ReduceMean');
  const pow = g.op(meanSq?.input[0], 'Pow');
  const sub = g.op(centred, 'Sub');
  if (!meanSq || !pow || !sub || epsilon === undefined || pow.input[0] !== centred || g.scalar(pow.input[1]!) !== 2) return undefined;
  const mean = g.op(sub.input[1], 'ReduceMean');
  const x = sub.input[0]!;
  if (!mean || mean.input[0] !== x || !meanOverLast(g, mean, undefined) || !meanOverLast(g, meanSq, undefined)) return undefined;
  const nodes: OnnxNode[] = [mean, sub, pow, meanSq, addEps, sqrt, div];
  // The affine part, when present: γ then β, each one value per feature.
  let out = div.output[0]!;
  let gamma: string | undefined;
  let beta: string | undefined;
  const mul = g.only(out);
  if (mul?.opType === 'Mul') {
    const w = g.other(mul, out);
    const c = w === undefined ? undefined : g.constant(w);
    if (c !== undefined && c.dims.length === 1) {
      gamma = w;
      nodes.push(mul);
      out = mul.output[0]!;
      const add = g.only(out);
      const b = add?.opType === 'Add' ? g.other(add, out) : undefined;
      const bc = b === undefined ? undefined : g.constant(b);
      if (add && bc !== undefined && bc.dims.length === 1 && bc.data.length === c.data.length) {
        beta = b;
        nodes.push(add);
        out = add.output[0]!;
      }
    }
  }
  const initializers: OnnxTensor[] = [];
  if (gamma === undefined) {
    // No γ: ones, one per feature; the width is the Sub's, known only from the graph's shapes, so leave such a norm alone.
    return undefined;
  }
  const name = `${scope(div) || '/LayerNorm'}/LayerNormalization`;
  return {
    nodes,
    initializers,
    fused: {
      name,
      opType: 'LayerNormalization',
      domain: FUSED_DOMAIN,
      input: beta === undefined ? [x, gamma] : [x, gamma, beta],
      output: [out],
      attribute: [
        { name: 'axis', type: AttributeType.INT, i: -1 },
        { name: 'epsilon', type: AttributeType.FLOAT, f: epsilon },
      ],
    },
  };
}

// ------------------------------------------------------------ GELU

function gelu(g: GraphView, erf: OnnxNode): Match | undefined {
  // x/√2 (or x·(1/√2)) into the Erf.
  const scaled = g.producer.get(erf.input[0]!);
  if (!scaled || (scaled.opType !== 'Div' && scaled.opType !== 'Mul')) return undefined;
  const x = scaled.input[0]!;
  const k = g.scalar(scaled.input[1]!);
  if (k === undefined || !(scaled.opType === 'Div' ? near(k, SQRT2) : near(k, Math.SQRT1_2))) return undefined;
  const plusOne = g.only(erf.output[0]!);
  if (plusOne?.opType !== 'Add' || g.scalar(g.other(plusOne, erf.output[0]!)!) !== 1) return undefined;
  // Then ·x and ·½, in either order: (x·(1+erf))·½, or (x·½)·(1+erf) / (½·x)·(1+erf).
  const a = g.only(plusOne.output[0]!);
  if (a?.opType !== 'Mul') return undefined;
  const partner = g.other(a, plusOne.output[0]!)!;
  const nodes: OnnxNode[] = [scaled, erf, plusOne, a];
  let out: string;
  if (partner === x) {
    const half = g.only(a.output[0]!);
    if (half?.opType !== 'Mul' || g.scalar(g.other(half, a.output[0]!)!) !== 0.5) return undefined;
    nodes.push(half);
    out = half.output[0]!;
  } else {
    const halfX = g.op(partner, 'Mul');
    if (!halfX || g.other(halfX, x) === undefined || g.scalar(g.other(halfX, x)!) !== 0.5 || g.only(halfX.output[0]!) !== a) return undefined;
    nodes.unshift(halfX);
    out = a.output[0]!;
  }
  const base = scope(erf);
  return { nodes, initializers: [], fused: { name: `${base}/Gelu`, opType: 'Gelu', domain: FUSED_DOMAIN, input: [x], output: [out], attribute: [] } };
}

// ------------------------------------------------------------ attention

const LAYOUT_OPS = new Set(['Reshape', 'Transpose']);

/** Follows Reshape/Transpose producers back from `name`, collecting them, to the first other node. */
function backThroughLayout(g: GraphView, name: string, into: OnnxNode[]): string {
  // At most as many steps as nodes: a malformed file's cycle cannot hang the import.
  for (let steps = 0; steps <= g.nodes.length; steps++) {
    const p = g.producer.get(name);
    if (!p || !LAYOUT_OPS.has(p.opType) || (p.domain !== '' && p.domain !== 'ai.onnx')) return name;
    into.push(p);
    name = p.input[0]!;
  }
  return name;
}

/** A projection x·W + b: a MatMul by a [in, out] constant and an Add of a [out] constant, either operand order. */
interface Projection {
  readonly x: string;
  readonly kernel: { dims: readonly number[]; data: Float32Array };
  readonly bias: Float32Array | undefined;
  readonly nodes: OnnxNode[];
}

function projection(g: GraphView, name: string): Projection | undefined {
  const add = g.op(name, 'Add');
  let matmulOut = name;
  let bias: Float32Array | undefined;
  const nodes: OnnxNode[] = [];
  if (add) {
    const mm = add.input.find((i) => g.op(i, 'MatMul'));
    const b = mm === undefined ? undefined : g.constant(g.other(add, mm)!);
    if (mm === undefined || b === undefined || b.dims.length !== 1) return undefined;
    matmulOut = mm;
    bias = b.data;
    nodes.push(add);
  }
  const mm = g.op(matmulOut, 'MatMul');
  const w = mm === undefined ? undefined : g.constant(mm.input[1]!);
  if (!mm || !w || w.dims.length !== 2 || (bias !== undefined && bias.length !== w.dims[1])) return undefined;
  nodes.push(mm);
  return { x: mm.input[0]!, kernel: w, bias, nodes };
}

/** One of q, k, v: its projection's input and weights (columns [from, to) of a packed projection). */
interface Role {
  readonly x: string;
  readonly kernel: Float32Array;
  readonly bias: Float32Array | undefined;
  readonly width: number;
  readonly inputs: number;
}

function columnsOf(kernel: { dims: readonly number[]; data: Float32Array }, from: number, to: number): Float32Array {
  const [rows, cols] = kernel.dims as [number, number];
  const out = new Float32Array(rows * (to - from));
  for (let r = 0; r < rows; r++) out.set(kernel.data.subarray(r * cols + from, r * cols + to), r * (to - from));
  return out;
}

/**
 * A role traced back from the attention's product: through layout ops to
 * either its own projection, or a Slice of a packed [in, 3E] projection
 * (torch: q, k, v are its thirds, in that order).
 */
function role(g: GraphView, name: string, which: 0 | 1 | 2, nodes: OnnxNode[]): Role | undefined {
  const source = backThroughLayout(g, name, nodes);
  const slice = g.op(source, 'Slice');
  if (slice) {
    const p = projection(g, slice.input[0]!);
    if (!p || p.kernel.dims[1]! % 3 !== 0) return undefined;
    const e = p.kernel.dims[1]! / 3;
    nodes.push(slice, ...p.nodes);
    return { x: p.x, kernel: columnsOf(p.kernel, which * e, (which + 1) * e), bias: p.bias?.slice(which * e, (which + 1) * e), width: e, inputs: p.kernel.dims[0]! };
  }
  const p = projection(g, source);
  if (!p) return undefined;
  nodes.push(...p.nodes);
  return { x: p.x, kernel: Float32Array.from(p.kernel.data), bias: p.bias && Float32Array.from(p.bias), width: p.kernel.dims[1]!, inputs: p.kernel.dims[0]! };
}

/** A scaling by a scalar constant (Div by s or Mul by 1/s): the factor it multiplies by. */
function scaling(g: GraphView, name: string): { input: string; factor: number; node: OnnxNode } | undefined {
  const p = g.producer.get(name);
  if (!p || (p.opType !== 'Div' && p.opType !== 'Mul')) return undefined;
  for (const [i, other] of [[0, 1], [1, 0]] as const) {
    if (p.opType === 'Div' && i === 1) continue;
    const s = g.scalar(p.input[other]!);
    if (s !== undefined && s !== 0 && g.producer.get(p.input[other]!)?.opType !== 'Shape') return { input: p.input[i]!, factor: p.opType === 'Div' ? 1 / s : s, node: p };
  }
  return undefined;
}

function attention(g: GraphView, softmax: OnnxNode): Match | undefined {
  const axis = attrInt(softmax, 'axis') ?? -1;
  if (axis !== -1 && axis !== 2 && axis !== 3) return undefined;
  const nodes: OnnxNode[] = [softmax];
  // The scores: q·kᵀ, scaled before the product (torch scales q) or after (graphc's export).
  let factor = 1;
  let scoresIn = softmax.input[0]!;
  const after = scaling(g, scoresIn);
  if (after) {
    factor = after.factor;
    nodes.push(after.node);
    scoresIn = after.input;
  }
  const qk = g.op(scoresIn, 'MatMul');
  if (!qk) return undefined;
  nodes.push(qk);
  let qIn = qk.input[0]!;
  const before = scaling(g, qIn);
  if (before) {
    factor *= before.factor;
    nodes.push(before.node);
    qIn = before.input;
  }
  const mixed = g.only(softmax.output[0]!);
  if (mixed?.opType !== 'MatMul' || mixed.input[0] !== softmax.output[0]) return undefined;
  nodes.push(mixed);
  const q = role(g, qIn, 0, nodes);
  const k = role(g, qk.input[1]!, 1, nodes);
  const v = role(g, mixed.input[1]!, 2, nodes);
  if (!q || !k || !v || q.x !== k.x || k.x !== v.x || q.width !== k.width) return undefined;
  // 1/√key_dim gives the head size, and with it the number of heads.
  const keyDim = Math.round(1 / (factor * factor));
  if (keyDim < 1 || !near(factor, 1 / Math.sqrt(keyDim), 1e-4) || q.width % keyDim !== 0) return undefined;
  const heads = q.width / keyDim;
  if (v.width % heads !== 0) return undefined;
  // The heads merged (layout ops), then the output projection: a Gemm (transB) or MatMul + Add.
  let cursor = mixed.output[0]!;
  let steps = 0;
  for (let next = g.only(cursor); next && LAYOUT_OPS.has(next.opType) && next.input[0] === cursor && steps++ <= g.nodes.length; next = g.only(cursor)) {
    nodes.push(next);
    cursor = next.output[0]!;
  }
  let outKernel: Float32Array;
  let outBias: Float32Array | undefined;
  let outputDim: number;
  const reader = g.only(cursor);
  if (reader?.opType === 'Gemm' && reader.input[0] === cursor && (attrInt(reader, 'transA') ?? 0) === 0) {
    const w = g.constant(reader.input[1]!);
    const alpha = reader.attribute.find((a) => a.name === 'alpha')?.f ?? 1;
    const beta = reader.attribute.find((a) => a.name === 'beta')?.f ?? 1;
    if (!w || w.dims.length !== 2 || alpha !== 1 || beta !== 1) return undefined;
    const transB = (attrInt(reader, 'transB') ?? 0) !== 0;
    outputDim = transB ? w.dims[0]! : w.dims[1]!;
    outKernel = transB ? transpose2d(w.data, w.dims[0]!, w.dims[1]!) : Float32Array.from(w.data);
    const c = reader.input[2] === undefined || reader.input[2] === '' ? undefined : g.constant(reader.input[2]);
    if (reader.input.length > 2 && reader.input[2] !== '' && (!c || c.data.length !== outputDim)) return undefined;
    outBias = c && Float32Array.from(c.data);
    nodes.push(reader);
    cursor = reader.output[0]!;
  } else if (reader?.opType === 'MatMul' && reader.input[0] === cursor) {
    const w = g.constant(reader.input[1]!);
    if (!w || w.dims.length !== 2) return undefined;
    outputDim = w.dims[1]!;
    outKernel = Float32Array.from(w.data);
    nodes.push(reader);
    cursor = reader.output[0]!;
    const add = g.only(cursor);
    const b = add?.opType === 'Add' ? g.constant(g.other(add, cursor)!) : undefined;
    if (add && b && b.data.length === outputDim) {
      outBias = Float32Array.from(b.data);
      nodes.push(add);
      cursor = add.output[0]!;
    }
  } else {
    return undefined;
  }
  if (outKernel.length !== v.width * outputDim) return undefined;
  // torch works time-major inside ([time, batch, features]): the input is a Transpose [1, 0, 2] of the
  // batch-major tensor, and the output goes back through Reshape and the same Transpose.
  let x = q.x;
  const head = g.op(x, 'Transpose');
  const timeMajor = head !== undefined && (attrInts(head, 'perm') ?? []).join() === '1,0,2';
  if (timeMajor) {
    x = head.input[0]!;
    nodes.push(head);
    let last: OnnxNode | undefined;
    for (let next = g.only(cursor); next && LAYOUT_OPS.has(next.opType) && next.input[0] === cursor && steps++ <= 2 * g.nodes.length; next = g.only(cursor)) {
      nodes.push(next);
      last = next;
      cursor = next.output[0]!;
      if (next.opType === 'Transpose') break;
    }
    if (last?.opType !== 'Transpose' || (attrInts(last, 'perm') ?? []).join() !== '1,0,2') return undefined;
  }
  const base = scope(softmax) || '/attention';
  const tensor = (suffix: string, dims: number[], data: Float32Array): OnnxTensor => floatTensor(`${base}/${suffix}`, dims, data);
  const initializers = [
    tensor('query/kernel', [q.inputs, q.width], q.kernel),
    tensor('key/kernel', [k.inputs, k.width], k.kernel),
    tensor('value/kernel', [v.inputs, v.width], v.kernel),
    tensor('output/kernel', [v.width, outputDim], outKernel),
  ];
  const biases = [q.bias, k.bias, v.bias, outBias];
  const withBias = biases.every((b) => b !== undefined);
  if (!withBias && biases.some((b) => b !== undefined)) return undefined;
  if (withBias) {
    initializers.push(
      tensor('query/bias', [q.width], q.bias!),
      tensor('key/bias', [k.width], k.bias!),
      tensor('value/bias', [v.width], v.bias!),
      tensor('output/bias', [outputDim], outBias!),
    );
  }
  return {
    nodes,
    initializers,
    fused: {
      name: `${base}/MultiHeadAttention`,
      opType: 'MultiHeadAttention',
      domain: FUSED_DOMAIN,
      input: [x, ...initializers.map((t) => t.name)],
      output: [cursor],
      attribute: [
        { name: 'num_heads', type: AttributeType.INT, i: heads },
        { name: 'key_dim', type: AttributeType.INT, i: keyDim },
        { name: 'value_dim', type: AttributeType.INT, i: v.width / heads },
      ],
    },
  };
}

// ------------------------------------------------------------ the pass

const MATCHERS: readonly [string, (g: GraphView, node: OnnxNode) => Match | undefined][] = [
  ['Softmax', attention],
  ['Div', layerNorm],
  ['Erf', gelu],
];

/**
 * Applies one match to the node list: the fused node takes the place of the
 * last node it replaces, and nodes left with no reader (the shape arithmetic
 * feeding the replaced Reshapes) go. Undefined when a value inside the match
 * is still read by a node that stays: the match was not closed.
 */
function apply(nodes: readonly OnnxNode[], match: Match, graphOutputs: ReadonlySet<string>): OnnxNode[] | undefined {
  const removed = new Set(match.nodes);
  const lastIndex = Math.max(...match.nodes.map((n) => nodes.indexOf(n)));
  let list = nodes.flatMap((n, i) => (i === lastIndex ? [match.fused] : removed.has(n) ? [] : [n]));
  // Dead code: nodes none of whose outputs anything reads.
  for (let changed = true; changed; ) {
    changed = false;
    const read = new Set(list.flatMap((n) => n.input));
    const kept = list.filter((n) => n === match.fused || n.output.some((o) => read.has(o) || graphOutputs.has(o)));
    if (kept.length !== list.length) {
      changed = true;
      list = kept;
    }
  }
  const inside = new Set(match.nodes.flatMap((n) => n.output));
  inside.delete(match.fused.output[0]!);
  if (list.some((n) => n.input.some((i) => inside.has(i))) || [...inside].some((o) => graphOutputs.has(o))) return undefined;
  return list;
}

export function fuseDecompositions(model: OnnxModel): Fused {
  let nodes = [...model.graph.node];
  const initializers = [...model.graph.initializer];
  const counts = { LayerNormalization: 0, Gelu: 0, MultiHeadAttention: 0 };
  const graphOutputs = new Set(model.graph.output.map((o) => o.name));
  for (const [opType, matcher] of MATCHERS) {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.opType !== opType || (node.domain !== '' && node.domain !== 'ai.onnx')) continue;
      const g = new GraphView(nodes, { ...model, graph: { ...model.graph, initializer: initializers } });
      const match = matcher(g, node);
      const next = match && apply(nodes, match, graphOutputs);
      if (!match || !next) continue;
      nodes = next;
      initializers.push(...match.initializers);
      counts[match.fused.opType as keyof typeof counts]++;
      i = -1;
    }
  }
  // The initializers only the removed nodes read stay: the walk never reads them.
  return { model: { ...model, graph: { ...model.graph, node: nodes, initializer: initializers } }, counts };
}
