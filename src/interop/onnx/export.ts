/**
 * Export to ONNX (opset 17): the inference path of a trained graph — from the
 * placeholder fed the data's features to the output node — as an ONNX graph
 * whose weights are initializers, op by op:
 *
 * - dynamic_rnn, stack_bidirectional_rnn → one ONNX GRU or LSTM per layer
 *   (direction forward or bidirectional), not unrolled. ONNX's recurrent ops
 *   read time-major [time, batch, features], so the sequence is transposed in
 *   once and out once. Weights are rearranged from TF1's layout (gates [r | u]
 *   over rows [x; h]; LSTM columns i, j, f, o) into ONNX's per-gate rows
 *   (GRU z, r, h; LSTM i, o, f, c); see `onnxGruWeights` and `onnxLstmWeights`.
 *   TF1's GRU is linear_before_reset 0, a reset_after GRU is 1; the LSTM's
 *   forget bias (1.0) is added to its forget gate's bias.
 * - dense → Gemm (a [batch, features] input) or MatMul + Add, then its activation
 * - conv2d, conv1d, max_pool, avg_pool → Conv, MaxPool, AveragePool between
 *   transposes from graphc's channels-last layout to ONNX's channels-first and
 *   back; TF's SAME padding becomes explicit pads (the extra one at the end)
 * - batch_norm → Mul and Add by its inference-time scale γ/√(σ²+ε) and shift
 *   β − μ·scale; layer_norm over the last axis → LayerNormalization
 * - multi_head_attention → its projections, heads and softmax written out
 *   (MatMul, Reshape, Transpose, Softmax)
 * - dropout is the identity at inference: the evaluation feed's keep
 *   probability must be 1
 * - the elementwise, reduction and shape ops as their ONNX namesakes
 *
 * Every node on the path without an ONNX counterpart is reported at once
 * (GC820, located in the spec); a supported op in a form that cannot be
 * exported is GC821.
 */
import { readFileSync } from 'node:fs';
import type { IrGraph, IrNode } from '../../compiler/2-ir/graph.js';
import { parseSpecYaml } from '../../compiler/1-spec/yaml.js';
import { normaliseAxis, type Dim, type TensorType } from '../../compiler/types/tensor.js';
import { diagnostic, fail, GraphcError, type Diagnostic, type SourceLocation } from '../../common/diagnostics/diagnostic.js';
import type { OnnxNotExportableReason } from '../../common/diagnostics/catalogue.js';
import { FORGET_BIAS } from '../../runtime/kernels/lstm_sequence.js';
import type { Weight } from '../../tools/export/layers.js';
import { AttributeType, DataType, floatTensor, int64Tensor, type OnnxAttribute, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './proto.js';
import { pathTo } from '../../tools/export/layers.js';

/** ONNX's operator set the export targets: 17 has LayerNormalization, and ReduceMean's axes are still an attribute. */
export const ONNX_OPSET = 17;
/** The IR version of opset 17 (ONNX 1.12). */
export const ONNX_IR_VERSION = 8;

/** Every graphc op the ONNX export knows, for GC820's list of what is supported. */
export const ONNX_EXPORTABLE_OPS = [
  'abs', 'add', 'avg_pool', 'batch_norm', 'concat', 'conv1d', 'conv2d', 'dense', 'div', 'dropout', 'dynamic_rnn', 'elu', 'embedding', 'exp', 'expand_dims',
  'gelu', 'global_average_pool', 'global_max_pool', 'layer_norm', 'leaky_relu', 'log', 'log_softmax', 'matmul', 'max_pool', 'maximum', 'minimum', 'mul',
  'multi_head_attention', 'neg', 'pow', 'reduce_max', 'reduce_mean', 'reduce_min', 'reduce_sum', 'relu', 'reshape', 'rsqrt', 'sigmoid', 'softmax', 'softplus',
  'sqrt', 'square', 'squeeze', 'stack_bidirectional_rnn', 'sub', 'take', 'tanh', 'transpose', 'variable',
] as const;

type AttributeValue = number | string | readonly number[] | { readonly float: number } | { readonly floats: readonly number[] };

/** Accumulates nodes and initializers under unique names. */
class OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();

  /** `base`, or `base_1`, `base_2`, … when taken. */
  fresh(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  reserve(name: string): void {
    this.used.add(name);
  }

  /** Adds a node with one output named `output` (made unique); returns that name. */
  op(opType: string, inputs: readonly string[], output: string, attrs: Readonly<Record<string, AttributeValue>> = {}): string {
    return this.ops(opType, inputs, [output], attrs)[0]!;
  }

  /** Adds a node with several outputs; returns their unique names. */
  ops(opType: string, inputs: readonly string[], outputs: readonly string[], attrs: Readonly<Record<string, AttributeValue>> = {}): string[] {
    const names = outputs.map((o) => this.fresh(o));
    this.nodes.push({ name: names[0]!, opType, domain: '', input: [...inputs], output: names, attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
    return names;
  }

  float(name: string, shape: readonly number[], values: Float32Array): string {
    const unique = this.fresh(name);
    this.initializers.push(floatTensor(unique, shape, values));
    return unique;
  }

  int64(name: string, values: readonly number[], shape: readonly number[] = [values.length]): string {
    const unique = this.fresh(name);
    this.initializers.push(int64Tensor(unique, shape, values));
    return unique;
  }

  scalar(name: string, value: number): string {
    return this.float(name, [], Float32Array.of(value));
  }
}

function attribute(name: string, value: AttributeValue): OnnxAttribute {
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: [...value.floats] };
  return { name, type: AttributeType.INTS, ints: [...(value as readonly number[])] };
}

/**
 * What a graph value has become: an ONNX tensor, or a variable's values. A
 * variable becomes an initializer only when an op reads it as it is, so that a
 * filter rearranged offline (conv2d) leaves no unused copy behind.
 */
type Value = { readonly name: string; readonly weight?: undefined } | { readonly name?: undefined; readonly weight: Weight; readonly variable: string };

export interface OnnxExportTarget {
  /** The node whose value the model outputs. */
  readonly node: IrNode;
  /** True when that node holds class scores to pass through a softmax. */
  readonly needsSoftmax: boolean;
}

export interface ExportedOnnx {
  readonly model: OnnxModel;
  /** The placeholder the model's input stands for, and the model's output's name. */
  readonly input: string;
  readonly output: string;
}

/** Builds the ONNX model of `graph`'s inference path up to `target`, with `weights` by graph variable name. */
export function toOnnxModel(graph: IrGraph, target: OnnxExportTarget, weights: ReadonlyMap<string, Weight>, meta: { producerVersion: string; docString?: string; metadata?: Record<string, string> }): ExportedOnnx {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const evalFeeds = graph.train.feeds.eval;
  const locate = specLocator(graph);
  const inputName = Object.entries(evalFeeds).find(([, v]) => v === 'batch.images' || v === 'batch.features')?.[0];
  const inputPlaceholder = graph.placeholders.find((p) => p.name === inputName);
  if (!inputPlaceholder) return fail('GC821', { node: target.node.name, op: target.node.op.name, reason: 'no_feature_feed' }, locate(target.node.name));
  if (inputPlaceholder.type.shape[0] !== null) fail('GC821', { node: inputPlaceholder.name, op: 'placeholder', reason: 'no_batch_dimension' }, locate(inputPlaceholder.name, 'placeholders'));

  const b = new OnnxGraphBuilder();
  const values = new Map<string, Value>();
  b.reserve(inputPlaceholder.name);
  values.set(inputPlaceholder.name, { name: inputPlaceholder.name });

  const path = pathTo(target.node.name, byName);
  const unsupported: Diagnostic[] = [];
  for (const p of graph.placeholders) {
    if (p === inputPlaceholder || !path.has(p.name)) continue;
    // Another placeholder on the path is a constant of the evaluation feed (a keep probability read as an input).
    const fed = evalFeeds[p.name];
    if (typeof fed !== 'number' || p.type.dtype !== 'float32' || p.type.shape.length !== 0) {
      fail('GC821', { node: p.name, op: 'placeholder', reason: 'placeholder_not_constant' }, locate(p.name, 'placeholders'));
    }
    values.set(p.name, { name: b.scalar(p.name, fed as number) });
  }

  const context: LowerContext = { graph, byName, evalFeeds, b, weights, values, locate };
  for (const node of graph.nodes.filter((n) => path.has(n.name))) {
    const lower = LOWERINGS[node.op.name];
    if (!lower) {
      unsupported.push(diagnostic('GC820', { node: node.name, op: node.op.name, output: target.node.name, supported: [...ONNX_EXPORTABLE_OPS] }, locate(node.name)));
      values.set(node.name, { name: node.name });
      continue;
    }
    if (unsupported.length > 0) {
      // Lowering further nodes would only build a model that is thrown away; keep looking for unsupported ones.
      values.set(node.name, { name: node.name });
      continue;
    }
    values.set(node.name, lower(node, context));
  }
  if (unsupported.length > 0) throw new GraphcError(unsupported);

  let result = tensor(context, target.node.name);
  if (target.needsSoftmax) result = b.op('Softmax', [result], 'probabilities', { axis: -1 });
  // A graph output must be produced by a node: an output that is an input or an initializer (a model of dropouts only) gets an Identity.
  if (!b.nodes.some((n) => n.output.includes(result))) result = b.op('Identity', [result], target.node.name);

  const model: OnnxModel = {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'graphc',
    producerVersion: meta.producerVersion,
    docString: meta.docString ?? '',
    graph: {
      name: graph.name,
      node: b.nodes,
      initializer: b.initializers,
      input: [valueInfo(inputPlaceholder.name, inputPlaceholder.type)],
      output: [valueInfo(result, target.node.type)],
      valueInfo: [],
    },
    metadataProps: Object.entries(meta.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  return { model, input: inputPlaceholder.name, output: result };
}

function valueInfo(name: string, type: TensorType): OnnxValueInfo {
  const elemType = type.dtype === 'float32' ? DataType.FLOAT : type.dtype === 'int32' ? DataType.INT32 : DataType.BOOL;
  return { name, type: { elemType, shape: type.shape.map((d, k) => (d === null ? { dimParam: k === 0 ? 'batch' : `d${k}` } : { dimValue: d })) } };
}

/** Locates a node (or placeholder) of the spec by its key, for diagnostics; the file alone when the spec cannot be read again. */
function specLocator(graph: IrGraph): (name: string, section?: 'nodes' | 'placeholders') => SourceLocation {
  let parsed: ReturnType<typeof parseSpecYaml> | undefined;
  return (name, section = 'nodes') => {
    if (parsed === undefined) {
      try {
        parsed = parseSpecYaml(readFileSync(graph.file, 'utf8'), graph.file);
      } catch {
        return { file: graph.file };
      }
    }
    return parsed.ok ? parsed.sourceMap.locate(`/${section}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, 'key') : { file: graph.file };
  };
}

interface LowerContext {
  readonly graph: IrGraph;
  readonly byName: ReadonlyMap<string, IrNode>;
  readonly evalFeeds: IrGraph['train']['feeds']['eval'];
  readonly b: OnnxGraphBuilder;
  readonly weights: ReadonlyMap<string, Weight>;
  readonly values: Map<string, Value>;
  readonly locate: (name: string, section?: 'nodes' | 'placeholders') => SourceLocation;
}

type Lowering = (node: IrNode, ctx: LowerContext) => Value;

const refuse = (node: IrNode, ctx: LowerContext, reason: OnnxNotExportableReason, detail?: string): never =>
  fail('GC821', { node: node.name, op: node.op.name, reason, ...(detail !== undefined ? { detail } : {}) }, ctx.locate(node.name));

function weightOf(node: IrNode, ctx: LowerContext, name: string): Weight {
  const w = ctx.weights.get(name);
  if (!w) return refuse(node, ctx, 'missing_weight', name);
  return w;
}

function input(node: IrNode, ctx: LowerContext, i: number): string {
  return tensor(ctx, node.inputs[i]!);
}

/** The ONNX tensor holding graph value `name`, making a variable's initializer on first use. */
function tensor(ctx: LowerContext, name: string): string {
  const value = ctx.values.get(name)!;
  if (value.name !== undefined) return value.name;
  const created = ctx.b.float(value.variable, value.weight.shape, value.weight.values);
  ctx.values.set(name, { name: created });
  return created;
}

function attr<T>(node: IrNode, key: string): T | undefined {
  return (node.attrs as Record<string, unknown>)[key] as T | undefined;
}

/** The keep probability a dropout attribute has in the evaluation phase (a number, or the placeholder's eval feed). */
function keepAtEval(ctx: LowerContext, keep: unknown): unknown {
  return typeof keep === 'string' ? ctx.evalFeeds[keep] : keep;
}

function checkNoDropout(node: IrNode, ctx: LowerContext, keep: unknown): void {
  const atEval = keepAtEval(ctx, keep);
  if (atEval !== undefined && atEval !== 1) refuse(node, ctx, 'dropout_at_eval', String(atEval));
}

const unary =
  (opType: string, attrs: (node: IrNode) => Record<string, AttributeValue> = () => ({})): Lowering =>
  (node, ctx) => ({ name: ctx.b.op(opType, [input(node, ctx, 0)], node.name, attrs(node)) });

const binary =
  (opType: string): Lowering =>
  (node, ctx) => ({ name: ctx.b.op(opType, [input(node, ctx, 0), input(node, ctx, 1)], node.name) });

const DENSE_ACTIVATIONS: Record<string, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax' };

/** x · kernel + bias: Gemm for a [batch, features] input, MatMul then Add above rank 2; then the activation. */
function affine(ctx: LowerContext, x: string, rank: number, kernel: string, bias: string | undefined, activation: string, name: string): string {
  const { b } = ctx;
  const linear = activation === 'linear';
  let y: string;
  if (rank === 2) {
    y = b.op('Gemm', bias === undefined ? [x, kernel] : [x, kernel, bias], linear ? name : `${name}/linear`);
  } else {
    y = b.op('MatMul', [x, kernel], bias === undefined && linear ? name : `${name}/matmul`);
    if (bias !== undefined) y = b.op('Add', [y, bias], linear ? name : `${name}/linear`);
  }
  if (linear) return y;
  return b.op(DENSE_ACTIVATIONS[activation]!, [y], name, activation === 'softmax' ? { axis: -1 } : {});
}

/** An initializer for a variable of the graph, named as the variable. */
function variableInitializer(ctx: LowerContext, node: IrNode, name: string): string {
  const w = weightOf(node, ctx, name);
  return ctx.b.float(name, w.shape, w.values);
}

/** TF's SAME padding as explicit [begins..., ends...] (the odd one at the end); VALID is none. */
function pads(padding: string, sizes: readonly Dim[], kernel: readonly number[], strides: readonly number[], dilations: readonly number[] = kernel.map(() => 1)): number[] | undefined {
  if (padding === 'VALID') return kernel.map(() => 0).concat(kernel.map(() => 0));
  if (sizes.some((d) => d === null)) return undefined;
  const begins: number[] = [];
  const ends: number[] = [];
  sizes.forEach((n, k) => {
    const effective = (kernel[k]! - 1) * dilations[k]! + 1;
    const out = Math.ceil((n as number) / strides[k]!);
    const total = Math.max((out - 1) * strides[k]! + effective - (n as number), 0);
    begins.push(Math.floor(total / 2));
    ends.push(total - Math.floor(total / 2));
  });
  return [...begins, ...ends];
}

/** Wraps a channels-first ONNX op between transposes from and back to channels-last. */
function channelsFirst(ctx: LowerContext, x: string, rank: number, name: string, apply: (nchw: string) => string): string {
  const toFirst = rank === 4 ? [0, 3, 1, 2] : [0, 2, 1];
  const toLast = rank === 4 ? [0, 2, 3, 1] : [0, 2, 1];
  const first = ctx.b.op('Transpose', [x], `${name}/channels_first`, { perm: toFirst });
  return ctx.b.op('Transpose', [apply(first)], name, { perm: toLast });
}

/** Reorders a [h, w, in, out] (or [w, in, out]) filter to ONNX's [out, in, h, w] (or [out, in, w]). */
function filterToOnnx(w: Weight): Weight {
  const dims = w.shape;
  const out = dims.at(-1)!;
  const inC = dims.at(-2)!;
  const spatial = dims.slice(0, -2);
  const area = spatial.reduce((a, d) => a * d, 1);
  const values = new Float32Array(w.values.length);
  for (let s = 0; s < area; s++) {
    for (let i = 0; i < inC; i++) {
      for (let o = 0; o < out; o++) values[(o * inC + i) * area + s] = w.values[(s * inC + i) * out + o]!;
    }
  }
  return { shape: [out, inC, ...spatial], values };
}

function filterInput(node: IrNode, ctx: LowerContext): string {
  const filter = ctx.values.get(node.inputs[1]!)!;
  if (filter.weight !== undefined) {
    const w = filterToOnnx(filter.weight);
    return ctx.b.float(`${node.inputs[1]!}/onnx_layout`, w.shape, w.values);
  }
  const rank = node.inputTypes[1]!.shape.length;
  return ctx.b.op('Transpose', [input(node, ctx, 1)], `${node.name}/filter`, { perm: rank === 4 ? [3, 2, 0, 1] : [2, 1, 0] });
}

const LOWERINGS: Readonly<Record<string, Lowering>> = {
  variable: (node, ctx) => ({ weight: weightOf(node, ctx, node.name), variable: node.name }),
  reshape: (node, ctx) => ({ name: ctx.b.op('Reshape', [input(node, ctx, 0), ctx.b.int64(`${node.name}/shape`, attr<number[]>(node, 'shape')!)], node.name) }),
  transpose: (node, ctx) => {
    const rank = node.inputTypes[0]!.shape.length;
    const perm = attr<number[]>(node, 'perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    return { name: ctx.b.op('Transpose', [input(node, ctx, 0)], node.name, { perm }) };
  },
  expand_dims: (node, ctx) => {
    const axis = normaliseAxis(attr<number>(node, 'axis')!, node.type.shape.length)!;
    return { name: ctx.b.op('Unsqueeze', [input(node, ctx, 0), ctx.b.int64(`${node.name}/axes`, [axis])], node.name) };
  },
  squeeze: (node, ctx) => {
    const shape = node.inputTypes[0]!.shape;
    const a = attr<number | number[]>(node, 'axis');
    const axes = a === undefined ? shape.flatMap((d, k) => (d === 1 ? [k] : [])) : (Array.isArray(a) ? a : [a]).map((x) => normaliseAxis(x, shape.length)!);
    return { name: ctx.b.op('Squeeze', [input(node, ctx, 0), ctx.b.int64(`${node.name}/axes`, axes)], node.name) };
  },
  concat: (node, ctx) => {
    const axis = normaliseAxis(attr<number>(node, 'axis')!, node.type.shape.length)!;
    return { name: ctx.b.op('Concat', node.inputs.map((_, i) => input(node, ctx, i)), node.name, { axis }) };
  },
  take: (node, ctx) => {
    const axis = normaliseAxis(attr<number>(node, 'axis')!, node.inputTypes[0]!.shape.length)!;
    return { name: ctx.b.op('Gather', [input(node, ctx, 0), ctx.b.int64(`${node.name}/index`, [attr<number>(node, 'index')!], [])], node.name, { axis }) };
  },
  embedding: (node, ctx) => ({ name: ctx.b.op('Gather', [variableInitializer(ctx, node, `${node.name}/embeddings`), input(node, ctx, 0)], node.name, { axis: 0 }) }),
  dropout: (node, ctx) => {
    checkNoDropout(node, ctx, attr(node, 'keep_prob'));
    return { name: input(node, ctx, 0) };
  },
  add: binary('Add'),
  sub: binary('Sub'),
  mul: binary('Mul'),
  div: binary('Div'),
  maximum: binary('Max'),
  minimum: binary('Min'),
  pow: binary('Pow'),
  abs: unary('Abs'),
  exp: unary('Exp'),
  log: unary('Log'),
  neg: unary('Neg'),
  relu: unary('Relu'),
  sigmoid: unary('Sigmoid'),
  tanh: unary('Tanh'),
  softplus: unary('Softplus'),
  sqrt: unary('Sqrt'),
  elu: unary('Elu', () => ({ alpha: { float: 1 } })),
  leaky_relu: unary('LeakyRelu', (node) => ({ alpha: { float: attr<number>(node, 'alpha') ?? 0.2 } })),
  rsqrt: (node, ctx) => ({ name: ctx.b.op('Reciprocal', [ctx.b.op('Sqrt', [input(node, ctx, 0)], `${node.name}/sqrt`)], node.name) }),
  square: (node, ctx) => ({ name: ctx.b.op('Mul', [input(node, ctx, 0), input(node, ctx, 0)], node.name) }),
  softmax: unary('Softmax', (node) => ({ axis: attr<number>(node, 'axis') ?? -1 })),
  log_softmax: unary('LogSoftmax', (node) => ({ axis: attr<number>(node, 'axis') ?? -1 })),
  gelu: (node, ctx) => {
    const { b } = ctx;
    const x = input(node, ctx, 0);
    const half = b.op('Mul', [x, b.scalar(`${node.name}/half`, 0.5)], `${node.name}/half_x`);
    let inner: string;
    if (attr<string>(node, 'approximate') === 'tanh') {
      // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
      const cube = b.op('Mul', [b.op('Mul', [x, x], `${node.name}/x2`), x], `${node.name}/x3`);
      const sum = b.op('Add', [x, b.op('Mul', [cube, b.scalar(`${node.name}/c`, 0.044715)], `${node.name}/cx3`)], `${node.name}/poly`);
      inner = b.op('Tanh', [b.op('Mul', [sum, b.scalar(`${node.name}/k`, Math.sqrt(2 / Math.PI))], `${node.name}/scaled`)], `${node.name}/tanh`);
    } else {
      // 0.5·x·(1 + erf(x/√2))
      inner = b.op('Erf', [b.op('Mul', [x, b.scalar(`${node.name}/rsqrt2`, Math.SQRT1_2)], `${node.name}/scaled`)], `${node.name}/erf`);
    }
    return { name: b.op('Mul', [half, b.op('Add', [inner, b.scalar(`${node.name}/one`, 1)], `${node.name}/one_plus`)], node.name) };
  },
  reduce_mean: reduce('ReduceMean'),
  reduce_max: reduce('ReduceMax'),
  reduce_min: reduce('ReduceMin'),
  reduce_sum: reduce('ReduceSum'),
  global_average_pool: globalPool('ReduceMean'),
  global_max_pool: globalPool('ReduceMax'),
  matmul: (node, ctx) => {
    const operand = (i: number, flag: string): string => {
      const rank = node.inputTypes[i]!.shape.length;
      if (attr<boolean>(node, flag) !== true) return input(node, ctx, i);
      const perm = Array.from({ length: rank }, (_, k) => (k === rank - 2 ? rank - 1 : k === rank - 1 ? rank - 2 : k));
      return ctx.b.op('Transpose', [input(node, ctx, i)], `${node.name}/${flag}`, { perm });
    };
    return { name: ctx.b.op('MatMul', [operand(0, 'transpose_a'), operand(1, 'transpose_b')], node.name) };
  },
  dense: (node, ctx) => {
    const kernel = variableInitializer(ctx, node, `${node.name}/kernel`);
    const bias = attr<boolean>(node, 'use_bias') === false ? undefined : variableInitializer(ctx, node, `${node.name}/bias`);
    return { name: affine(ctx, input(node, ctx, 0), node.inputTypes[0]!.shape.length, kernel, bias, attr<string>(node, 'activation') ?? 'linear', node.name) };
  },
  conv2d: (node, ctx) => {
    const [height, width, , outChannels] = node.inputTypes[1]!.shape as number[];
    const strides = attr<number[]>(node, 'strides')!.slice(1, 3);
    const padding = attr<string>(node, 'padding')!;
    const p = pads(padding, node.inputTypes[0]!.shape.slice(1, 3), [height!, width!], strides);
    const filter = filterInput(node, ctx);
    void outChannels;
    return {
      name: channelsFirst(ctx, input(node, ctx, 0), 4, node.name, (x) =>
        ctx.b.op('Conv', [x, filter], `${node.name}/nchw`, { kernel_shape: [height!, width!], strides, ...(p ? { pads: p } : { auto_pad: 'SAME_UPPER' }) }),
      ),
    };
  },
  conv1d: (node, ctx) => {
    const [size] = node.inputTypes[1]!.shape as number[];
    const stride = attr<number>(node, 'stride') ?? 1;
    const dilation = attr<number>(node, 'dilation') ?? 1;
    const p = pads(attr<string>(node, 'padding')!, node.inputTypes[0]!.shape.slice(1, 2), [size!], [stride], [dilation]);
    const filter = filterInput(node, ctx);
    return {
      name: channelsFirst(ctx, input(node, ctx, 0), 3, node.name, (x) =>
        ctx.b.op('Conv', [x, filter], `${node.name}/ncw`, { kernel_shape: [size!], strides: [stride], dilations: [dilation], ...(p ? { pads: p } : { auto_pad: 'SAME_UPPER' }) }),
      ),
    };
  },
  max_pool: pool('MaxPool'),
  avg_pool: pool('AveragePool'),
  batch_norm: (node, ctx) => {
    const flag = attr<unknown>(node, 'training');
    if (typeof flag === 'string' && ctx.evalFeeds[flag] !== false) refuse(node, ctx, 'batch_norm_training_at_eval', flag);
    if (flag === true) refuse(node, ctx, 'batch_norm_training_at_eval', 'true');
    const rank = node.inputTypes[0]!.shape.length;
    const axis = normaliseAxis(attr<number>(node, 'axis') ?? -1, rank)!;
    const epsilon = attr<number>(node, 'epsilon') ?? 1e-3;
    const mean = weightOf(node, ctx, `${node.name}/moving_mean`).values;
    const variance = weightOf(node, ctx, `${node.name}/moving_variance`).values;
    const gamma = attr<boolean>(node, 'scale') === false ? undefined : weightOf(node, ctx, `${node.name}/gamma`).values;
    const beta = attr<boolean>(node, 'center') === false ? undefined : weightOf(node, ctx, `${node.name}/beta`).values;
    const channels = mean.length;
    const scale = new Float32Array(channels);
    const shift = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      scale[c] = (gamma?.[c] ?? 1) / Math.sqrt(variance[c]! + epsilon);
      shift[c] = (beta?.[c] ?? 0) - mean[c]! * scale[c]!;
    }
    // Broadcast along the channel axis: [C] for the last axis, [C, 1, …] before trailing axes.
    const shape = [channels, ...Array.from({ length: rank - 1 - axis }, () => 1)];
    const scaled = ctx.b.op('Mul', [input(node, ctx, 0), ctx.b.float(`${node.name}/scale`, shape, scale)], `${node.name}/scaled`);
    return { name: ctx.b.op('Add', [scaled, ctx.b.float(`${node.name}/shift`, shape, shift)], node.name) };
  },
  layer_norm: (node, ctx) => {
    const rank = node.inputTypes[0]!.shape.length;
    const axis = normaliseAxis(attr<number>(node, 'axis') ?? -1, rank)!;
    // ONNX normalises over every axis from `axis` on; graphc over one axis: the same only for the last.
    if (axis !== rank - 1) refuse(node, ctx, 'layer_norm_axis', String(attr<number>(node, 'axis')));
    const size = node.inputTypes[0]!.shape[axis] as number;
    const gamma = attr<boolean>(node, 'scale') === false ? ctx.b.float(`${node.name}/gamma`, [size], new Float32Array(size).fill(1)) : variableInitializer(ctx, node, `${node.name}/gamma`);
    const beta = attr<boolean>(node, 'center') === false ? ctx.b.float(`${node.name}/beta`, [size], new Float32Array(size)) : variableInitializer(ctx, node, `${node.name}/beta`);
    return { name: ctx.b.op('LayerNormalization', [input(node, ctx, 0), gamma, beta], node.name, { axis: -1, epsilon: { float: attr<number>(node, 'epsilon') ?? 1e-5 } }) };
  },
  multi_head_attention: (node, ctx) => attention(node, ctx),
  dynamic_rnn: (node, ctx) => recurrent(node, ctx, 1),
  stack_bidirectional_rnn: (node, ctx) => recurrent(node, ctx, 2),
};

function reduce(opType: string): Lowering {
  return (node, ctx) => {
    const a = attr<number>(node, 'axis');
    const keepdims = attr<boolean>(node, 'keepdims') === true ? 1 : 0;
    const rank = node.inputTypes[0]!.shape.length;
    const axes = a === undefined ? undefined : [normaliseAxis(a, rank)!];
    // ReduceSum reads its axes as an input since opset 13; the others as an attribute until opset 18.
    if (opType === 'ReduceSum') {
      return { name: ctx.b.op(opType, axes ? [input(node, ctx, 0), ctx.b.int64(`${node.name}/axes`, axes)] : [input(node, ctx, 0)], node.name, { keepdims }) };
    }
    return { name: ctx.b.op(opType, [input(node, ctx, 0)], node.name, { keepdims, ...(axes ? { axes } : {}) }) };
  };
}

function globalPool(opType: string): Lowering {
  return (node, ctx) => {
    const axes = node.inputTypes[0]!.shape.length === 3 ? [1] : [1, 2];
    return { name: ctx.b.op(opType, [input(node, ctx, 0)], node.name, { axes, keepdims: attr<boolean>(node, 'keepdims') === true ? 1 : 0 }) };
  };
}

function pool(opType: 'MaxPool' | 'AveragePool'): Lowering {
  return (node, ctx) => {
    const kernel = attr<number[]>(node, 'ksize')!.slice(1, 3);
    const strides = attr<number[]>(node, 'strides')!.slice(1, 3);
    const p = pads(attr<string>(node, 'padding')!, node.inputTypes[0]!.shape.slice(1, 3), kernel, strides);
    // TF's average over a SAME window counts only the positions inside the image: count_include_pad 0, ONNX's default.
    return {
      name: channelsFirst(ctx, input(node, ctx, 0), 4, node.name, (x) => ctx.b.op(opType, [x], `${node.name}/nchw`, { kernel_shape: kernel, strides, ...(p ? { pads: p } : { auto_pad: 'SAME_UPPER' }) })),
    };
  };
}

/** Multi-head attention written out: project, split heads, softmax(q·kᵀ/√key_dim)·v, merge heads, project. */
function attention(node: IrNode, ctx: LowerContext): Value {
  const { b } = ctx;
  if (attr(node, 'mask') !== undefined) refuse(node, ctx, 'attention_mask');
  checkNoDropout(node, ctx, attr(node, 'keep_prob'));
  const heads = attr<number>(node, 'num_heads')!;
  const queryFeatures = node.inputTypes[0]!.shape[2] as number;
  const keyDim = attr<number>(node, 'key_dim') ?? queryFeatures / heads;
  const valueDim = attr<number>(node, 'value_dim') ?? keyDim;
  const useBias = attr<boolean>(node, 'use_bias') !== false;
  const [query, value] = [input(node, ctx, 0), input(node, ctx, 1)];
  const key = node.inputs.length > 2 ? input(node, ctx, 2) : value;
  const project = (x: string, role: string): string => {
    const kernel = variableInitializer(ctx, node, `${node.name}/${role}/kernel`);
    const bias = useBias ? variableInitializer(ctx, node, `${node.name}/${role}/bias`) : undefined;
    return affine(ctx, x, 3, kernel, bias, 'linear', `${node.name}/${role}`);
  };
  // [batch, time, heads·size] → [batch, heads, time, size] (or [batch, heads, size, time] for the keys, ready for the product).
  const split = (x: string, size: number, role: string, perm: number[]): string =>
    b.op('Transpose', [b.op('Reshape', [x, b.int64(`${node.name}/${role}/heads_shape`, [0, 0, heads, size])], `${node.name}/${role}/heads`)], `${node.name}/${role}/by_head`, { perm });
  const q = split(project(query, 'query'), keyDim, 'query', [0, 2, 1, 3]);
  const k = split(project(key, 'key'), keyDim, 'key', [0, 2, 3, 1]);
  const v = split(project(value, 'value'), valueDim, 'value', [0, 2, 1, 3]);
  const scores = b.op('Mul', [b.op('MatMul', [q, k], `${node.name}/qk`), b.scalar(`${node.name}/inv_sqrt_key_dim`, 1 / Math.sqrt(keyDim))], `${node.name}/scores`);
  const weightsByKey = b.op('Softmax', [scores], `${node.name}/attention_weights`, { axis: -1 });
  const mixed = b.op('MatMul', [weightsByKey, v], `${node.name}/mixed`);
  const merged = b.op('Reshape', [b.op('Transpose', [mixed], `${node.name}/by_time`, { perm: [0, 2, 1, 3] }), b.int64(`${node.name}/merged_shape`, [0, 0, heads * valueDim])], `${node.name}/merged`);
  const kernel = variableInitializer(ctx, node, `${node.name}/output/kernel`);
  const bias = useBias ? variableInitializer(ctx, node, `${node.name}/output/bias`) : undefined;
  return { name: affine(ctx, merged, 3, kernel, bias, 'linear', node.name) };
}

interface RnnAttrs {
  readonly layers: number;
  readonly cell: { readonly type: string; readonly units: number; readonly reset_after?: boolean };
  readonly dropout?: { readonly output_keep_prob?: string | number };
  readonly return_sequences?: boolean;
  readonly return_state?: boolean;
}

/** A stack of ONNX GRU or LSTM nodes, time-major inside, batch-major at both ends. */
function recurrent(node: IrNode, ctx: LowerContext, directions: 1 | 2): Value {
  const { b } = ctx;
  const a = node.attrs as unknown as RnnAttrs;
  if (node.inputs.length > 1) refuse(node, ctx, 'sequence_lengths');
  checkNoDropout(node, ctx, a.dropout?.output_keep_prob);
  const lstm = a.cell.type.endsWith('lstm');
  if (lstm && a.return_state === true) refuse(node, ctx, 'lstm_state');
  const units = a.cell.units;
  const resetAfter = a.cell.reset_after === true;
  let x = b.op('Transpose', [input(node, ctx, 0)], `${node.name}/time_major`, { perm: [1, 0, 2] });
  let last: string[] = [];
  for (let layer = 0; layer < a.layers; layer++) {
    const prefixes = directions === 1 ? [`${node.name}/cell_${layer}`] : [`${node.name}/layer_${layer}/fw`, `${node.name}/layer_${layer}/bw`];
    const perDirection = prefixes.map((p) =>
      lstm
        ? onnxLstmWeights(weightOf(node, ctx, `${p}/kernel`), weightOf(node, ctx, `${p}/bias`), units)
        : onnxGruWeights(
            weightOf(node, ctx, `${p}/gates/kernel`),
            weightOf(node, ctx, `${p}/gates/bias`),
            weightOf(node, ctx, `${p}/candidate/kernel`),
            weightOf(node, ctx, `${p}/candidate/bias`),
            resetAfter ? weightOf(node, ctx, `${p}/candidate/recurrent_bias`) : undefined,
            units,
          ),
    );
    const stacked = (k: 0 | 1 | 2): string => {
      const parts = perDirection.map((w) => w[k]);
      const values = new Float32Array(parts.reduce((n, w) => n + w.values.length, 0));
      let at = 0;
      for (const w of parts) {
        values.set(w.values, at);
        at += w.values.length;
      }
      return b.float(`${node.name}/layer_${layer}/${['W', 'R', 'B'][k]!}`, [directions, ...parts[0]!.shape], values);
    };
    const attrs: Record<string, AttributeValue> = { hidden_size: units, direction: directions === 1 ? 'forward' : 'bidirectional', ...(lstm ? {} : { linear_before_reset: resetAfter ? 1 : 0 }) };
    const outputs = lstm ? ['Y', 'Y_h', 'Y_c'] : ['Y', 'Y_h'];
    last = b.ops(lstm ? 'LSTM' : 'GRU', [x, stacked(0), stacked(1), stacked(2)], outputs.map((o) => `${node.name}/layer_${layer}/${o}`), attrs);
    if (layer < a.layers - 1) {
      // Y is [time, directions, batch, units]; the next layer reads [time, batch, directions·units].
      x = b.op('Reshape', [b.op('Transpose', [last[0]!], `${node.name}/layer_${layer}/Y_tbd`, { perm: [0, 2, 1, 3] }), b.int64(`${node.name}/layer_${layer}/shape`, [0, 0, -1])], `${node.name}/layer_${layer}/output`);
    }
  }
  if (a.return_state === true || a.return_sequences === false) {
    // Y_h [directions, batch, units] holds each direction's last output: forward at time − 1, backward at 0, as graphc's last output and final state are.
    const byBatch = b.op('Transpose', [last[1]!], `${node.name}/Y_h_batch_major`, { perm: [1, 0, 2] });
    return { name: b.op('Reshape', [byBatch, b.int64(`${node.name}/shape`, [0, -1])], node.name) };
  }
  const byBatch = b.op('Transpose', [last[0]!], `${node.name}/batch_major`, { perm: [2, 0, 1, 3] });
  return { name: b.op('Reshape', [byBatch, b.int64(`${node.name}/shape`, [0, 0, -1])], node.name) };
}

/**
 * TF1 GRU cell weights → ONNX GRU's W [3H, I], R [3H, H] and B [6H] for one direction.
 * TF: gates kernel [I+H, 2H] with columns [r | u] over rows [x; h], candidate kernel [I+H, H].
 * ONNX: rows in gate order z, r, h (z = TF's u), each row a gate unit's weights over x (W) or h (R);
 * B = [Wb_z, Wb_r, Wb_h, Rb_z, Rb_r, Rb_h]. Only Rb_h enters apart from the sums, as reset_after's recurrent candidate bias.
 */
export function onnxGruWeights(gatesKernel: Weight, gatesBias: Weight, candidateKernel: Weight, candidateBias: Weight, recurrentBias: Weight | undefined, units: number): [Weight, Weight, Weight] {
  const H = units;
  const I = gatesKernel.shape[0]! - H;
  const W = new Float32Array(3 * H * I);
  const R = new Float32Array(3 * H * H);
  // Column of each ONNX gate block in TF's kernels: z ← gates[:, H:2H], r ← gates[:, 0:H], h ← candidate.
  const source = (gate: number, row: number, j: number): number =>
    gate === 2 ? candidateKernel.values[row * H + j]! : gatesKernel.values[row * 2 * H + (gate === 0 ? H : 0) + j]!;
  for (let gate = 0; gate < 3; gate++) {
    for (let j = 0; j < H; j++) {
      for (let k = 0; k < I; k++) W[(gate * H + j) * I + k] = source(gate, k, j);
      for (let k = 0; k < H; k++) R[(gate * H + j) * H + k] = source(gate, I + k, j);
    }
  }
  const B = new Float32Array(6 * H);
  B.set(gatesBias.values.subarray(H, 2 * H), 0);
  B.set(gatesBias.values.subarray(0, H), H);
  B.set(candidateBias.values, 2 * H);
  if (recurrentBias) B.set(recurrentBias.values, 5 * H);
  return [
    { shape: [3 * H, I], values: W },
    { shape: [3 * H, H], values: R },
    { shape: [6 * H], values: B },
  ];
}

/**
 * TF1 LSTM cell weights → ONNX LSTM's W [4H, I], R [4H, H] and B [8H] for one direction.
 * TF: kernel [I+H, 4H], columns i, j (candidate), f, o over rows [x; h]; the forget bias is added in the computation.
 * ONNX: rows in gate order i, o, f, c; the forget bias goes into Wb_f.
 */
export function onnxLstmWeights(kernel: Weight, bias: Weight, units: number): [Weight, Weight, Weight] {
  const H = units;
  const I = kernel.shape[0]! - H;
  const tfBlock = [0, 3, 2, 1]; // ONNX i, o, f, c ← TF i, o, f, j
  const W = new Float32Array(4 * H * I);
  const R = new Float32Array(4 * H * H);
  for (let gate = 0; gate < 4; gate++) {
    const column = tfBlock[gate]! * H;
    for (let j = 0; j < H; j++) {
      for (let k = 0; k < I; k++) W[(gate * H + j) * I + k] = kernel.values[k * 4 * H + column + j]!;
      for (let k = 0; k < H; k++) R[(gate * H + j) * H + k] = kernel.values[(I + k) * 4 * H + column + j]!;
    }
  }
  const B = new Float32Array(8 * H);
  for (let gate = 0; gate < 4; gate++) {
    for (let j = 0; j < H; j++) B[gate * H + j] = bias.values[tfBlock[gate]! * H + j]! + (gate === 2 ? FORGET_BIAS : 0);
  }
  return [
    { shape: [4 * H, I], values: W },
    { shape: [4 * H, H], values: R },
    { shape: [8 * H], values: B },
  ];
}
