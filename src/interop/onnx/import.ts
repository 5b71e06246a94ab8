/**
 * ONNX → graphc: a decoded model becomes a spec's nodes (graphc's own ops,
 * named after the ONNX nodes) and the weights those nodes' variables take.
 *
 * The walk is in ONNX's node order (topological by the standard). Constants
 * fold as they go: initializers, Constant nodes and the Shape → Gather →
 * Unsqueeze → Concat arithmetic PyTorch writes around reshapes and RNN
 * states never reach the spec. Weights become variables: Gemm and MatMul by a
 * constant are `dense`, Conv is `conv2d` on NHWC (ONNX's NCHW is transposed
 * only where a consumer needs it), GRU and LSTM are graphc's RNN stacks with
 * the gates reordered into TF's layout.
 *
 * Every node graphc cannot express is collected, and all are reported at once
 * (GC802): its name, op type, the opset, why, and what graphc supports instead.
 */
import type { UnsupportedOnnxNode } from '../../common/diagnostics/catalogue.js';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { reservedReason } from '../../compiler/2-ir/names.js';
// graphc's LSTM adds TF's forget bias in the computation; the stored bias leaves it out.
import { FORGET_BIAS } from '../../runtime/kernels/lstm_sequence.js';
import { FUSED_DOMAIN, fuseDecompositions } from './fuse.js';
import { AttributeType, DataType, tensorFloats, tensorIntegers, type OnnxAttribute, type OnnxModel, type OnnxNode, type OnnxTensor } from './proto.js';
import { size, TensorValue, transpose2d, transposeData, type Dim, type FloatConst, type IntConst, type Layout, type Value } from './values.js';

/** The oldest ai.onnx opset graphc imports. */
export const MIN_OPSET = 13;

/** The op types graphc imports, for GC802's "supported instead". */
export const SUPPORTED_OPS = [
  'Gemm', 'MatMul', 'Add', 'Sub', 'Mul', 'Div', 'Relu', 'Sigmoid', 'Tanh', 'Exp', 'Log', 'Sqrt', 'Neg', 'Abs', 'Softmax', 'LogSoftmax',
  'Conv', 'BatchNormalization', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Flatten', 'Reshape', 'Transpose', 'Concat', 'Gather',
  'Slice', 'Unsqueeze', 'Squeeze', 'Pad', 'GRU', 'LSTM', 'LayerNormalization', 'Gelu', 'Identity', 'Dropout', 'Cast', 'Constant',
  'Shape', 'ConstantOfShape', 'ReduceMean', 'ReduceSum',
] as const;

/** A trained tensor for the checkpoint: a variable (or batch_norm state) by graphc name. */
export interface NamedWeights {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** One node of the spec: its name, its attributes in the order the spec writes them, and an optional comment line above it. */
export interface SpecNode {
  readonly name: string;
  readonly body: Record<string, unknown>;
  comment?: string;
}

export interface ImportedGraph {
  readonly placeholders: readonly { readonly name: string; readonly onnxName: string; readonly shape: readonly Dim[]; readonly dtype: 'float32' | 'int32' }[];
  readonly nodes: readonly SpecNode[];
  /** The graph's outputs: ONNX name → the graphc node holding it (ONNX's layout), its ONNX shape and, when it is a softmax, the logits node. */
  readonly outputs: readonly { readonly onnxName: string; readonly node: string; readonly shape: readonly Dim[]; readonly logits?: string }[];
  readonly params: Readonly<Record<string, number>>;
  readonly variables: readonly NamedWeights[];
  readonly state: readonly NamedWeights[];
  /** ONNX value name → graphc node, for values emitted in ONNX's layout (to check against value_info). */
  readonly onnxNodes: ReadonlyMap<string, string>;
  readonly opset: number;
}

/** Raised by a handler for a node graphc cannot express; collected into GC802. */
class Unsupported extends Error {
  constructor(
    readonly reason: string,
    readonly supported: string,
  ) {
    super(reason);
  }
}

/** A value a refused node would have produced: its consumers are skipped, not reported again. */
const POISON = { kind: 'poison' } as const;
type Slot = Value | typeof POISON;

/** The weights of a fused attention node after its input, by graphc variable suffix. */
const ROLE_WEIGHTS = ['query/kernel', 'key/kernel', 'value/kernel', 'output/kernel', 'query/bias', 'key/bias', 'value/bias', 'output/bias'] as const;

const ACTIVATIONS: Readonly<Record<string, string>> = { Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Exp: 'exp', Log: 'log', Sqrt: 'sqrt', Neg: 'neg', Abs: 'abs' };
const BINARY: Readonly<Record<string, string>> = { Add: 'add', Sub: 'sub', Mul: 'mul', Div: 'div' };

export function importOnnxGraph(model: OnnxModel, file: string): ImportedGraph {
  // LayerNorm, GELU and attention written out in primitives become one node each first (fuse.ts).
  return new Importer(fuseDecompositions(model).model, file).run();
}

class Importer {
  private readonly values = new Map<string, Slot>();
  private readonly nodes: SpecNode[] = [];
  private readonly names = new Set<string>();
  private readonly variables: NamedWeights[] = [];
  private readonly state: NamedWeights[] = [];
  private readonly params: Record<string, number> = {};
  private readonly unsupported: UnsupportedOnnxNode[] = [];
  private readonly onnxNodes = new Map<string, string>();
  /** How many nodes read each value: a MatMul's bias folds into its dense only when the Add is its one reader. */
  private readonly readers = new Map<string, number>();
  /** dense nodes without a bias yet, by the ONNX value they compute. */
  private readonly biasless = new Map<string, SpecNode>();
  /** Softmax outputs → the node holding their logits (the loss reads logits). */
  private readonly logitsOf = new Map<string, string>();
  private readonly graphOutputs: Set<string>;
  private readonly initializerNames: Set<string>;
  /** Initializers read as element-wise operands, by ONNX name: the variable node holding each. */
  private readonly operandVariables = new Map<string, TensorValue>();
  private readonly opset: number;
  private node!: OnnxNode;

  constructor(
    private readonly model: OnnxModel,
    private readonly file: string,
  ) {
    const standard = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
    this.opset = standard?.version ?? 0;
    if (this.opset < MIN_OPSET) fail('GC801', { file, domain: '', version: this.opset, min: MIN_OPSET }, { file });
    this.graphOutputs = new Set(model.graph.output.map((o) => o.name));
    this.initializerNames = new Set(model.graph.initializer.map((t) => t.name));
  }

  run(): ImportedGraph {
    const { graph } = this.model;
    for (const t of graph.initializer) this.values.set(t.name, this.constant(t));
    const placeholders = this.placeholders();
    for (const node of graph.node) for (const input of node.input) this.readers.set(input, (this.readers.get(input) ?? 0) + 1);
    for (const node of graph.node) this.visit(node);
    const outputs = graph.output.map((o) => {
      const value = this.values.get(o.name);
      if (value === undefined) return fail('GC804', { file: this.file, problem: { kind: 'undefined_value', node: '(graph output)', value: o.name } }, { file: this.file });
      if (value === POISON) return undefined;
      if (!(value instanceof TensorValue)) {
        this.refuse({ name: o.name, opType: '(graph output)', domain: '', input: [], output: [o.name], attribute: [] }, 'the output is a constant', 'outputs computed from the inputs');
        return undefined;
      }
      const node = this.guard(() => value.get('onnx'));
      if (node === undefined) return undefined;
      const logits = this.logitsOf.get(o.name);
      return { onnxName: o.name, node, shape: value.shape, ...(logits !== undefined ? { logits } : {}) };
    });
    if (this.unsupported.length > 0) fail('GC802', { file: this.file, nodes: this.unsupported }, { file: this.file });
    if (outputs.length === 0) fail('GC804', { file: this.file, problem: { kind: 'no_outputs' } }, { file: this.file });
    return {
      placeholders,
      nodes: this.nodes,
      outputs: outputs as ImportedGraph['outputs'] & object,
      params: this.params,
      variables: this.variables,
      state: this.state,
      onnxNodes: this.onnxNodes,
      opset: this.opset,
    };
  }

  // ------------------------------------------------------------ graph inputs

  private placeholders(): ImportedGraph['placeholders'] {
    const initializers = new Set(this.model.graph.initializer.map((t) => t.name));
    const inputs = this.model.graph.input.filter((i) => !initializers.has(i.name));
    if (inputs.length === 0) fail('GC804', { file: this.file, problem: { kind: 'no_inputs' } }, { file: this.file });
    return inputs.map((input) => {
      const type = input.type;
      if (type === undefined || type.shape === undefined) return fail('GC804', { file: this.file, problem: { kind: 'input_rank', input: input.name } }, { file: this.file });
      const dtype = type.elemType === DataType.FLOAT ? 'float32' : type.elemType === DataType.INT32 || type.elemType === DataType.INT64 ? 'int32' : undefined;
      if (dtype === undefined) return fail('GC804', { file: this.file, problem: { kind: 'input_type', input: input.name, elemType: type.elemType } }, { file: this.file });
      const shape = type.shape.map((d, i): Dim => {
        if (d.dimValue !== undefined && d.dimValue > 0) return d.dimValue;
        // Only the batch may vary: graphc's shapes are static past it.
        if (i === 0) return null;
        return fail('GC804', { file: this.file, problem: { kind: 'input_dynamic', input: input.name, dim: i } }, { file: this.file });
      });
      const name = this.claim(input.name);
      this.values.set(input.name, this.tensor(shape, dtype, name, { onnx: () => name }));
      this.onnxNodes.set(input.name, name);
      return { name, onnxName: input.name, shape, dtype };
    });
  }

  // ------------------------------------------------------------ the walk

  private visit(node: OnnxNode): void {
    this.node = node;
    if (node.domain !== '' && node.domain !== 'ai.onnx' && node.domain !== FUSED_DOMAIN) {
      this.refuse(node, `domain '${node.domain}' is not ai.onnx`, `ai.onnx operators: ${SUPPORTED_OPS.join(', ')}`);
      return;
    }
    const inputs = node.input.map((name) => (name === '' ? undefined : this.values.get(name)));
    const missing = node.input.find((name, i) => name !== '' && inputs[i] === undefined);
    if (missing !== undefined) fail('GC804', { file: this.file, problem: { kind: 'undefined_value', node: node.name || node.opType, value: missing } }, { file: this.file });
    if (inputs.some((v) => v === POISON)) {
      // Downstream of a refused node only an op graphc lacks altogether is news worth a line.
      if (node.domain !== FUSED_DOMAIN && !(SUPPORTED_OPS as readonly string[]).includes(node.opType)) this.refuse(node, noOp(node.opType), this.supportedOps());
      for (const out of node.output) this.values.set(out, POISON);
      return;
    }
    try {
      const outputs = this.handle(node, inputs as (Value | undefined)[]);
      node.output.forEach((name, i) => {
        const value = outputs[i];
        if (name !== '' && value !== undefined) this.values.set(name, value);
      });
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      this.refuse(node, error.reason, error.supported);
      for (const out of node.output) this.values.set(out, POISON);
    }
  }

  private listedOps = false;

  /** What graphc imports, listed in full once per report. */
  private supportedOps(): string {
    if (this.listedOps) return 'graphc imports the ops listed above';
    this.listedOps = true;
    return `graphc imports ${SUPPORTED_OPS.join(', ')}`;
  }

  private refuse(node: OnnxNode, reason: string, supported: string): void {
    this.unsupported.push({ node: node.name || node.output[0] || node.opType, opType: node.opType, opset: this.opset, reason, supported });
  }

  /** Runs a deferred emission (a layout's transpose) outside the walk, reporting what it refuses against the current node. */
  private guard<T>(make: () => T): T | undefined {
    try {
      return make();
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      this.refuse(this.node, error.reason, error.supported);
      return undefined;
    }
  }

  private handle(node: OnnxNode, inputs: (Value | undefined)[]): (Value | undefined)[] {
    const op = node.opType;
    if (node.domain === FUSED_DOMAIN) {
      if (op === 'MultiHeadAttention') return [this.attention(node, inputs)];
      if (op === 'LayerNormalization') return [this.layerNorm(node, inputs)];
      if (op === 'Gelu') return [this.gelu(node, this.tensorInput(inputs[0]))];
    }
    if (op in ACTIVATIONS) return [this.unary(inputs[0], ACTIVATIONS[op]!)];
    if (op in BINARY) return [this.binary(node, inputs[0], inputs[1], BINARY[op]!)];
    switch (op) {
      case 'Identity':
      case 'Dropout':
        return [this.need(inputs[0])];
      case 'Constant':
        return [this.constantNode(node)];
      case 'Shape':
        return [this.shapeOf(node, this.need(inputs[0]))];
      case 'ConstantOfShape':
        return [this.constantOfShape(node, inputs[0])];
      case 'Cast':
        return [this.cast(node, this.need(inputs[0]))];
      case 'Gather':
        return [this.gather(node, this.need(inputs[0]), this.need(inputs[1]))];
      case 'Unsqueeze':
        return [this.unsqueeze(this.need(inputs[0]), this.ints(inputs[1], 'axes'))];
      case 'Squeeze':
        return [this.squeeze(this.need(inputs[0]), inputs[1] === undefined ? undefined : this.ints(inputs[1], 'axes'))];
      case 'Concat':
        return [this.concat(node, inputs.map((v) => this.need(v)))];
      case 'Slice':
        return [this.slice(node, inputs)];
      case 'Reshape':
        return [this.reshape(node, this.tensorInput(inputs[0]), this.sizes(inputs[1]))];
      case 'Flatten':
        return [this.flatten(node, this.tensorInput(inputs[0]))];
      case 'Transpose':
        return [this.transpose(node, this.need(inputs[0]))];
      case 'Softmax':
      case 'LogSoftmax':
        return [this.softmax(node, this.tensorInput(inputs[0]))];
      case 'Gemm':
        return [this.gemm(node, inputs)];
      case 'MatMul':
        return [this.matmul(node, this.tensorInput(inputs[0]), this.need(inputs[1]))];
      case 'Conv':
        return [this.conv(node, inputs)];
      case 'BatchNormalization':
        return [this.batchNorm(node, inputs)];
      case 'MaxPool':
      case 'AveragePool':
        return [this.pool(node, this.tensorInput(inputs[0]))];
      case 'GlobalAveragePool':
        return [this.globalAveragePool(node, this.tensorInput(inputs[0]))];
      case 'Pad':
        return [this.pad(node, inputs)];
      case 'GRU':
      case 'LSTM':
        return this.rnn(node, inputs);
      case 'ReduceMean':
      case 'ReduceSum':
        return [this.reduce(node, inputs)];
      case 'LayerNormalization':
        return [this.layerNorm(node, inputs)];
      case 'Gelu':
        return [this.gelu(node, this.tensorInput(inputs[0]))];
      default:
        throw new Unsupported(noOp(op), this.supportedOps());
    }
  }

  // ------------------------------------------------------------ names and emission

  /** A free spec name for an ONNX name: letters, digits and underscores, not a reserved word, unique. */
  private claim(raw: string, suffix = ''): string {
    let base = raw.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').replace(/_+/g, '_') || 'node';
    if (/^[0-9]/.test(base)) base = `n${base}`;
    base = `${base.slice(0, 56)}${suffix}`;
    if (reservedReason(base) !== undefined) base = `${base}_`;
    let name = base;
    for (let i = 2; this.names.has(name) || reservedReason(name) !== undefined; i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /**
   * The name of the current ONNX node's main graphc node: its scope when
   * PyTorch's exporter named it `/scope/OpType` ('/conv1/Conv' → conv1),
   * else the whole name.
   */
  private nodeName(suffix = ''): string {
    const raw = this.node.name || this.node.output[0] || this.node.opType;
    const parts = raw.split('/').filter((p) => p !== '');
    const last = parts[parts.length - 1] ?? '';
    let scoped = parts.length > 1 && last.startsWith(this.node.opType) ? parts.slice(0, -1).join('_') : raw;
    // nn.Sequential's layers are numbered: '/1/Gemm' reads better as gemm1 than as n1.
    if (/^[0-9]+$/.test(scoped)) scoped = `${this.node.opType.toLowerCase()}${scoped}`;
    // A scope that is a reserved name (PyTorch's `self.rnn`) takes the op type along: rnn_gru.
    if (reservedReason(scoped.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '')) !== undefined) scoped = `${scoped}_${this.node.opType.toLowerCase()}`;
    const preferred = scoped.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
    return this.claim(preferred !== '' && !this.names.has(`${preferred}${suffix}`) ? scoped : raw, suffix);
  }

  private emit(name: string, body: Record<string, unknown>): string {
    this.nodes.push({ name, body });
    return name;
  }

  private tensor(shape: readonly Dim[], dtype: 'float32' | 'int32', base: string, forms: Partial<Record<Layout, () => string>>, rnnOrder?: 'TDBH' | 'TBDH'): TensorValue {
    return new TensorValue(shape, dtype, base, forms, (v, want) => this.derive(v, want), rnnOrder);
  }

  /** A value in ONNX's layout computed by one new node. */
  private result(shape: readonly Dim[], dtype: 'float32' | 'int32', name: string, onnxName = this.node.output[0]): TensorValue {
    if (onnxName !== undefined) this.onnxNodes.set(onnxName, name);
    return this.tensor(shape, dtype, name, { onnx: () => name });
  }

  /** Emits the transposes that give a value a form it lacks (see values.ts). */
  private derive(v: TensorValue, want: Layout): string {
    const perm = (from: Layout, p: number[], suffix: string): string => this.emit(this.claim(v.base, suffix), { op: 'transpose', inputs: [v.get(from)], perm: p });
    if (want === 'nhwc') return perm('onnx', [0, 2, 3, 1], '_nhwc');
    if (want === 'batch_major') return perm('onnx', [1, 0, 2], '_batch_major');
    if (want === 'onnx') {
      if (v.has('nhwc')) return perm('nhwc', [0, 3, 1, 2], '_nchw');
      if (v.has('batch_major')) return perm('batch_major', [1, 0, 2], '_time_major');
      if (v.has('rnn_concat')) {
        // [batch, time, directions·units] → [batch, time, directions, units] → ONNX's order.
        const [time, a, b, units] = v.shape;
        const directions = v.rnnOrder === 'TDBH' ? a : b;
        const split = this.emit(this.claim(v.base, '_split'), { op: 'reshape', inputs: [v.get('rnn_concat')], shape: [-1, time, directions, units] });
        return this.emit(this.claim(v.base, '_time_major'), { op: 'transpose', inputs: [split], perm: v.rnnOrder === 'TDBH' ? [1, 2, 0, 3] : [1, 0, 2, 3] });
      }
    }
    throw new Unsupported(`its value is needed in a layout graphc cannot derive (${want})`, 'report it with the model');
  }

  /** A variable node holding an imported constant. */
  private variableNode(name: string, shape: readonly number[], values: Float32Array): string {
    this.variables.push({ name, shape, values });
    return this.emit(name, { op: 'variable', shape: [...shape], init: 'zeros' });
  }

  // ------------------------------------------------------------ constants

  private constant(t: OnnxTensor): FloatConst | IntConst {
    if (t.dataType === DataType.FLOAT || t.dataType === DataType.DOUBLE || t.dataType === DataType.FLOAT16) {
      const data = tensorFloats(t);
      if (data === undefined || t.dataType === DataType.FLOAT16) return { kind: 'int', shape: t.dims, data: [] };
      return { kind: 'float', shape: t.dims, data };
    }
    return { kind: 'int', shape: t.dims, data: tensorIntegers(t) ?? [] };
  }

  private constantNode(node: OnnxNode): Value {
    const a = (name: string): OnnxAttribute | undefined => node.attribute.find((x) => x.name === name);
    const value = a('value');
    if (value?.t) return this.constant(value.t);
    const f = a('value_float');
    if (f) return { kind: 'float', shape: [], data: Float32Array.of(f.f ?? 0) };
    const fs = a('value_floats');
    if (fs) return { kind: 'float', shape: [fs.floats?.length ?? 0], data: Float32Array.from(fs.floats ?? []) };
    const i = a('value_int');
    if (i) return { kind: 'int', shape: [], data: [i.i ?? 0] };
    const is = a('value_ints');
    if (is) return { kind: 'int', shape: [is.ints?.length ?? 0], data: [...(is.ints ?? [])] };
    throw new Unsupported('a Constant without a dense tensor value', 'Constant with value, value_float(s) or value_int(s)');
  }

  private need(v: Value | undefined): Value {
    if (v === undefined) throw new Unsupported('an optional input it needs is absent', 'the inputs PyTorch writes');
    return v;
  }

  private tensorInput(v: Value | undefined): TensorValue {
    const value = this.need(v);
    if (value instanceof TensorValue) return value;
    throw new Unsupported(`its input is ${value.kind === 'zeros' ? 'zeros of a run-time shape' : 'a constant'}`, 'graphc has no constant tensors: a constant operand must be a weight of Gemm, MatMul, Conv, BatchNormalization or an RNN, or fold into a shape');
  }

  /** A constant integer vector (axes, shapes, pads), every element known. */
  private ints(v: Value | undefined, what: string): number[] {
    const value = this.need(v);
    if (value.kind !== 'int' || value.data.some((d) => d === null)) throw new Unsupported(`its input '${what}' is not constant`, `a constant '${what}' (it may be Shape arithmetic, which folds at import)`);
    return value.data as number[];
  }

  /** A constant shape whose elements may be sizes only the run knows (null). */
  private sizes(v: Value | undefined): (number | null)[] {
    const value = this.need(v);
    if (value.kind !== 'int') throw new Unsupported('its target shape is computed from tensor values', 'a target shape that folds at import (constants and Shape arithmetic)');
    return [...value.data];
  }

  private attr(name: string): OnnxAttribute | undefined {
    return this.node.attribute.find((a) => a.name === name);
  }

  private intAttr(name: string, fallback: number): number {
    return this.attr(name)?.i ?? fallback;
  }

  private intsAttr(name: string): number[] | undefined {
    const a = this.attr(name);
    return a?.ints !== undefined && a.ints.length > 0 ? [...a.ints] : a?.type === AttributeType.INTS ? [] : undefined;
  }

  private floatAttr(name: string, fallback: number): number {
    return this.attr(name)?.f ?? fallback;
  }

  private stringAttr(name: string, fallback: string): string {
    const s = this.attr(name)?.s;
    return s === undefined ? fallback : new TextDecoder().decode(s);
  }

  /** Refuses an attribute that is set to anything but its default. */
  private onlyDefault(name: string, ok: (a: OnnxAttribute) => boolean, supported: string): void {
    const a = this.attr(name);
    if (a !== undefined && !ok(a)) throw new Unsupported(`attribute ${name} is not supported as given`, supported);
  }

  private shapeOf(node: OnnxNode, v: Value): IntConst {
    const shape = v.kind === 'float' || v.kind === 'int' ? v.shape : v.shape;
    const rank = shape.length;
    const clamp = (i: number): number => Math.max(0, Math.min(rank, i < 0 ? i + rank : i));
    const start = clamp(this.intAttr('start', 0));
    const end = clamp(node.attribute.some((a) => a.name === 'end') ? this.intAttr('end', rank) : rank);
    const dims = shape.slice(start, end);
    return { kind: 'int', shape: [dims.length], data: dims };
  }

  private constantOfShape(node: OnnxNode, shapeInput: Value | undefined): Value {
    const shape = this.need(shapeInput);
    if (shape.kind !== 'int') throw new Unsupported('its shape is not an integer constant', 'a shape that folds at import');
    const t = node.attribute.find((a) => a.name === 'value')?.t;
    const fill = t === undefined ? 0 : (tensorFloats(t)?.[0] ?? 0);
    if (shape.data.some((d) => d === null)) {
      if (fill !== 0) throw new Unsupported('it fills a run-time shape with a value other than 0', 'zeros of a run-time shape, as an RNN initial state');
      return { kind: 'zeros', shape: shape.data };
    }
    const dims = shape.data as number[];
    return { kind: 'float', shape: dims, data: new Float32Array(size(dims)).fill(fill) };
  }

  private cast(node: OnnxNode, v: Value): Value {
    const to = node.attribute.find((a) => a.name === 'to')?.i ?? DataType.FLOAT;
    const float = to === DataType.FLOAT || to === DataType.DOUBLE;
    if (v.kind === 'int') return float ? { kind: 'float', shape: v.shape, data: Float32Array.from(v.data.map((d) => d ?? Number.NaN)) } : v;
    if (v.kind === 'float') return float ? v : { kind: 'int', shape: v.shape, data: Array.from(v.data, Math.trunc) };
    if (v.kind === 'zeros') return v;
    const dtype = float ? 'float32' : 'int32';
    if (dtype === v.dtype) return v;
    const name = this.emit(this.nodeName(), { op: 'cast', inputs: [v.get('onnx')], dtype });
    return this.result(v.shape, dtype, name);
  }

  // ------------------------------------------------------------ shape ops

  private gather(node: OnnxNode, data: Value, indices: Value): Value {
    const axis = this.intAttr('axis', 0);
    if (indices.kind !== 'int' || indices.data.some((d) => d === null)) throw new Unsupported('its indices are not constant', 'constant indices');
    if (data.kind === 'int' && data.shape.length === 1) {
      const n = data.shape[0]!;
      const picked = (indices.data as number[]).map((i) => data.data[i < 0 ? i + n : i] ?? null);
      return { kind: 'int', shape: indices.shape, data: picked };
    }
    if (data instanceof TensorValue && indices.shape.length === 0) {
      const rank = data.shape.length;
      const a = axis < 0 ? axis + rank : axis;
      const index = indices.data[0] as number;
      const name = this.emit(this.nodeName(), { op: 'take', inputs: [data.get('onnx')], axis: a, index });
      return this.result(data.shape.filter((_, i) => i !== a), data.dtype, name, node.output[0]);
    }
    throw new Unsupported('it gathers several indices of a tensor, or from a constant of rank above 1', 'Gather of one constant index from a tensor, or Gather over a shape (folded)');
  }

  private unsqueeze(v: Value, axes: number[]): Value {
    const rank = v.shape.length + axes.length;
    const sorted = axes.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
    const shape: Dim[] = [...v.shape];
    for (const a of sorted) shape.splice(a, 0, 1);
    if (v.kind === 'int') return { kind: 'int', shape: shape as number[], data: v.data };
    if (v.kind === 'float') return { kind: 'float', shape: shape as number[], data: v.data };
    if (v.kind === 'zeros') return { kind: 'zeros', shape };
    let input = v.get('onnx');
    for (const [i, a] of sorted.entries()) input = this.emit(this.nodeName(i === sorted.length - 1 ? '' : `_${i}`), { op: 'expand_dims', inputs: [input], axis: a });
    return this.result(shape, v.dtype, input);
  }

  private squeeze(v: Value, axes: number[] | undefined): Value {
    const rank = v.shape.length;
    const drop = axes === undefined ? v.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : axes.map((a) => (a < 0 ? a + rank : a));
    const shape = v.shape.filter((_, i) => !drop.includes(i));
    if (v.kind === 'int') return { kind: 'int', shape: shape as number[], data: v.data };
    if (v.kind === 'float') return { kind: 'float', shape: shape as number[], data: v.data };
    if (v.kind === 'zeros') return { kind: 'zeros', shape };
    const name = this.emit(this.nodeName(), { op: 'squeeze', inputs: [v.get('onnx')], axis: drop.length === 1 ? drop[0] : drop });
    return this.result(shape, v.dtype, name);
  }

  private concat(node: OnnxNode, parts: Value[]): Value {
    const axis = this.intAttr('axis', 0);
    if (parts.every((p) => p.kind === 'int' && p.shape.length === 1)) {
      const data = parts.flatMap((p) => (p as IntConst).data);
      return { kind: 'int', shape: [data.length], data };
    }
    const tensors = parts.map((p) => this.tensorInput(p));
    const rank = tensors[0]!.shape.length;
    const a = axis < 0 ? axis + rank : axis;
    const shape = tensors[0]!.shape.map((d, i) => (i === a ? tensors.reduce<Dim>((sum, t) => (sum === null || t.shape[i] === null ? null : sum + t.shape[i]!), 0) : d));
    const name = this.emit(this.nodeName(), { op: 'concat', inputs: tensors.map((t) => t.get('onnx')), axis: a });
    return this.result(shape, tensors[0]!.dtype, name, node.output[0]);
  }

  private slice(node: OnnxNode, inputs: (Value | undefined)[]): Value {
    const data = this.need(inputs[0]);
    const starts = this.ints(inputs[1], 'starts');
    const ends = this.ints(inputs[2], 'ends');
    const rank = data.shape.length;
    const axes = inputs[3] === undefined ? starts.map((_, i) => i) : this.ints(inputs[3], 'axes').map((a) => (a < 0 ? a + rank : a));
    const steps = inputs[4] === undefined ? starts.map(() => 1) : this.ints(inputs[4], 'steps');
    if (steps.some((s) => s !== 1)) throw new Unsupported('a step other than 1', 'Slice with steps of 1');
    const shape: Dim[] = [...data.shape];
    const ranges = axes.map((axis, i) => {
      const dim = data.shape[axis];
      if (dim === null || dim === undefined) throw new Unsupported(`it slices dimension ${axis}, whose size only the run knows`, 'Slice of dimensions of known size');
      const clamp = (x: number): number => Math.max(0, Math.min(dim, x < 0 ? x + dim : x));
      const begin = clamp(starts[i]!);
      const end = Math.max(begin, clamp(ends[i]!));
      shape[axis] = end - begin;
      return { axis, begin, end };
    });
    if (data.kind === 'zeros') return { kind: 'zeros', shape };
    if (data.kind === 'int' && rank === 1) {
      const r = ranges[0] ?? { begin: 0, end: data.data.length };
      const picked = data.data.slice(r.begin, r.end);
      return { kind: 'int', shape: [picked.length], data: picked };
    }
    if (data instanceof TensorValue) {
      const begin = data.shape.map(() => 0);
      const sizes = data.shape.map(() => -1);
      for (const r of ranges) {
        begin[r.axis] = r.begin;
        sizes[r.axis] = r.end - r.begin;
      }
      const name = this.emit(this.nodeName(), { op: 'slice', inputs: [data.get('onnx')], begin, size: sizes });
      return this.result(shape, data.dtype, name, node.output[0]);
    }
    throw new Unsupported('it slices a constant of rank above 1', 'Slice of a tensor, or of a shape (folded)');
  }

  private reshape(node: OnnxNode, v: TensorValue, target: (number | null)[]): Value {
    if (this.intAttr('allowzero', 0) !== 0) throw new Unsupported('allowzero is 1', 'Reshape with allowzero 0');
    const dims: Dim[] = target.map((d, i) => (d === 0 ? (v.shape[i] ?? null) : d));
    // -1 is what the input holds over the other dimensions; a run-time size copied through (0) cancels out.
    const rest = dims.filter((x) => x !== -1);
    const knownIn = size(v.shape.filter((d): d is number => d !== null));
    const knownRest = size(rest.filter((d): d is number => d !== null));
    const runtimeIn = v.shape.filter((d) => d === null).length;
    const runtimeRest = rest.filter((d) => d === null).length;
    const inferred = runtimeIn === runtimeRest ? knownIn / knownRest : null;
    const shape: Dim[] = dims.map((d) => (d === -1 ? inferred : d));
    // An RNN's [time, batch, directions, units] output merged to [time, batch, directions·units]: the graphc RNN's output, batch-major.
    if (v.has('rnn_concat') && v.rnnOrder === 'TBDH' && shape.length === 3 && shape[0] === v.shape[0] && shape[2] === (v.shape[2] as number) * (v.shape[3] as number)) {
      return this.tensor(shape, v.dtype, v.base, { batch_major: () => v.get('rnn_concat') });
    }
    // The graphc reshape: -1 for the one dimension only the run knows.
    const unknown = shape.filter((d) => d === null).length;
    if (unknown > 1) throw new Unsupported('its result has more than one dimension only the run knows', 'Reshape that keeps the batch as its one run-time dimension');
    const attr = shape.map((d) => (d === null ? -1 : d));
    const name = this.emit(this.nodeName(), { op: 'reshape', inputs: [v.get('onnx')], shape: attr });
    return this.result(shape, v.dtype, name, node.output[0]);
  }

  private flatten(node: OnnxNode, v: TensorValue): Value {
    const axis = this.intAttr('axis', 1);
    const rank = v.shape.length;
    const a = axis < 0 ? axis + rank : axis;
    const inner = v.shape.slice(a);
    if (a !== 1 || inner.some((d) => d === null)) throw new Unsupported(`it flattens from axis ${axis}`, 'Flatten from axis 1 of a tensor whose dimensions past the batch are known');
    const width = size(inner as number[]);
    const shape = [v.shape[0]!, width];
    // Over 1×1 feature maps, NHWC and NCHW flatten alike: no transpose back.
    const spatialOne = rank === 4 && v.shape[2] === 1 && v.shape[3] === 1 && v.has('nhwc');
    const name = this.emit(this.nodeName(), { op: 'reshape', inputs: [spatialOne ? v.get('nhwc') : v.get('onnx')], shape: [-1, width] });
    return this.result(shape, v.dtype, name, node.output[0]);
  }

  private transpose(node: OnnxNode, v: Value): Value {
    const rank = v.shape.length;
    const perm = this.intsAttr('perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    const shape = perm.map((p) => v.shape[p]!);
    if (v.kind === 'float') return { kind: 'float', shape: shape as number[], data: transposeData(v.data, v.shape, perm, (n) => new Float32Array(n)) };
    if (v.kind === 'int') return { kind: 'int', shape: shape as number[], data: transposeData([...v.data], v.shape, perm, (n) => new Array<number | null>(n).fill(0)) };
    if (v.kind === 'zeros') return { kind: 'zeros', shape };
    const is = (p: number[]): boolean => perm.length === p.length && perm.every((x, i) => x === p[i]);
    if (rank === 3 && is([1, 0, 2])) {
      // Time-major ↔ batch-major around an RNN: the transpose of a value held batch-major is that node.
      if (v.has('batch_major')) return this.tensor(shape, v.dtype, v.base, { onnx: () => v.get('batch_major') });
      return this.tensor(shape, v.dtype, v.base, { batch_major: () => v.get('onnx') });
    }
    if (rank === 4 && is([0, 2, 1, 3]) && v.has('rnn_concat') && v.rnnOrder === 'TDBH') {
      return this.tensor(shape, v.dtype, v.base, { rnn_concat: () => v.get('rnn_concat') }, 'TBDH');
    }
    if (rank === 4 && is([0, 2, 3, 1])) return this.tensor(shape, v.dtype, v.base, { onnx: () => v.get('nhwc') });
    // Channels-last back to channels-first (graphc's own export around each conv and pool): the NHWC form is the input.
    if (rank === 4 && is([0, 3, 1, 2])) return this.tensor(shape, v.dtype, v.base, { nhwc: () => v.get('onnx') });
    const name = this.emit(this.nodeName(), { op: 'transpose', inputs: [v.get('onnx')], perm });
    return this.result(shape, v.dtype, name, node.output[0]);
  }

  // ------------------------------------------------------------ elementwise

  private unary(input: Value | undefined, op: string): Value {
    const v = this.tensorInput(input);
    const name = this.nodeName();
    if (v.has('nhwc') && !v.has('onnx')) {
      const nhwc = this.emit(name, { op, inputs: [v.get('nhwc')] });
      return this.tensor(v.shape, v.dtype, name, { nhwc: () => nhwc });
    }
    return this.result(v.shape, v.dtype, this.emit(name, { op, inputs: [v.get('onnx')] }));
  }

  private binary(node: OnnxNode, a: Value | undefined, b: Value | undefined, op: string): Value {
    const left = this.need(a);
    const right = this.need(b);
    // Shape arithmetic (sizes, head counts) folds; a size only the run knows stays unknown.
    if (left.kind === 'int' && right.kind === 'int') return foldInts(op, left, right);
    // A MatMul's bias: x·W + b (or b + x·W) is one dense.
    if (op === 'add') {
      for (const [product, bias, input] of [[left, right, node.input[0]!], [right, left, node.input[1]!]] as const) {
        if (!(product instanceof TensorValue) || bias.kind !== 'float' || bias.shape.length > 1) continue;
        const dense = this.biasless.get(input);
        if (dense !== undefined && this.readers.get(input) === 1) return this.addBias(dense, bias, product, input);
      }
    }
    const l = this.tensorInput(this.operand(left, node.input[0]!));
    const r = this.tensorInput(this.operand(right, node.input[1]!));
    const shape = broadcast(l.shape, r.shape);
    const name = this.nodeName();
    if (l.has('nhwc') && r.has('nhwc') && !l.has('onnx') && !r.has('onnx')) {
      const nhwc = this.emit(name, { op, inputs: [l.get('nhwc'), r.get('nhwc')] });
      return this.tensor(shape, l.dtype, name, { nhwc: () => nhwc });
    }
    return this.result(shape, l.dtype, this.emit(name, { op, inputs: [l.get('onnx'), r.get('onnx')] }));
  }

  /**
   * An element-wise operand that is a stored weight (an initializer of more
   * than one value: a position table, a conv bias added apart) becomes a
   * variable node holding it, which fine-tuning trains like the others. Scalars
   * and Constant nodes stay constants, which graphc cannot express.
   */
  private operand(v: Value, onnxName: string): Value {
    if (v.kind !== 'float' || v.data.length < 2 || !this.initializerNames.has(onnxName)) return v;
    let held = this.operandVariables.get(onnxName);
    if (held === undefined) {
      const name = this.variableNode(this.claim(onnxName), v.shape, Float32Array.from(v.data));
      held = this.tensor(v.shape, 'float32', name, { onnx: () => name });
      this.operandVariables.set(onnxName, held);
    }
    return held;
  }

  private addBias(dense: SpecNode, bias: FloatConst, product: TensorValue, input: string): Value {
    const units = dense.body['units'] as number;
    const values = bias.data.length === 1 ? new Float32Array(units).fill(bias.data[0]!) : bias.data;
    if (values.length !== units) throw new Unsupported(`the bias has ${values.length} values for ${units} units`, 'a bias of one value per output unit');
    delete dense.body['use_bias'];
    this.variables.push({ name: `${dense.name}/bias`, shape: [units], values });
    this.biasless.delete(input);
    this.onnxNodes.set(this.node.output[0]!, dense.name);
    return this.tensor(product.shape, 'float32', dense.name, { onnx: () => dense.name });
  }

  /** ReduceMean/ReduceSum over one axis (opset 13 gives ReduceMean's axes as an attribute, ReduceSum's as an input). */
  private reduce(node: OnnxNode, inputs: (Value | undefined)[]): Value {
    const v = this.tensorInput(inputs[0]);
    const axes = this.intsAttr('axes') ?? (inputs[1] === undefined ? undefined : this.ints(inputs[1], 'axes'));
    if (axes === undefined || axes.length !== 1) throw new Unsupported('it reduces over several axes, or all', 'a reduction over one axis');
    const rank = v.shape.length;
    const axis = axes[0]! < 0 ? axes[0]! + rank : axes[0]!;
    const keepdims = this.intAttr('keepdims', 1) !== 0;
    const shape = keepdims ? v.shape.map((d, i) => (i === axis ? 1 : d)) : v.shape.filter((_, i) => i !== axis);
    const op = node.opType === 'ReduceMean' ? 'reduce_mean' : 'reduce_sum';
    const name = this.emit(this.nodeName(), { op, inputs: [v.get('onnx')], axis, ...(keepdims ? { keepdims: true } : {}) });
    return this.result(shape, v.dtype, name, node.output[0]);
  }

  private softmax(node: OnnxNode, v: TensorValue): Value {
    const axis = this.intAttr('axis', -1);
    const op = node.opType === 'Softmax' ? 'softmax' : 'log_softmax';
    const logits = v.get('onnx');
    const name = this.emit(this.nodeName(), { op, inputs: [logits], ...(axis !== -1 ? { axis } : {}) });
    if (op === 'softmax') this.logitsOf.set(node.output[0]!, logits);
    return this.result(v.shape, 'float32', name, node.output[0]);
  }

  private gelu(node: OnnxNode, v: TensorValue): Value {
    const approximate = this.stringAttr('approximate', 'none');
    const name = this.emit(this.nodeName(), { op: 'gelu', inputs: [v.get('onnx')], ...(approximate === 'tanh' ? { approximate: 'tanh' } : {}) });
    return this.result(v.shape, 'float32', name, node.output[0]);
  }

  // ------------------------------------------------------------ layers with weights

  private weight(v: Value | undefined, what: string): FloatConst {
    const value = this.need(v);
    if (value.kind !== 'float') throw new Unsupported(`its ${what} is not a constant (an initializer)`, `a constant ${what}`);
    return value;
  }

  private gemm(node: OnnxNode, inputs: (Value | undefined)[]): Value {
    const a = this.tensorInput(inputs[0]);
    const b = this.weight(inputs[1], 'B');
    if (this.intAttr('transA', 0) !== 0 || a.shape.length !== 2) throw new Unsupported('transA is set, or A is not a matrix', 'Gemm of a [batch, features] input by a constant B');
    const alpha = this.floatAttr('alpha', 1);
    const beta = this.floatAttr('beta', 1);
    const [rows, cols] = b.shape as [number, number];
    const kernel = this.intAttr('transB', 0) !== 0 ? transpose2d(b.data, rows, cols) : Float32Array.from(b.data);
    const units = this.intAttr('transB', 0) !== 0 ? rows : cols;
    if (alpha !== 1) kernel.forEach((x, i) => (kernel[i] = x * alpha));
    const name = this.nodeName();
    const c = inputs[2];
    this.variables.push({ name: `${name}/kernel`, shape: [kernel.length / units, units], values: kernel });
    if (c !== undefined) {
      const bias = this.weight(c, 'C');
      if (bias.data.length !== units && bias.data.length !== 1) throw new Unsupported('C is not one value per unit', 'Gemm with a bias vector C');
      const values = bias.data.length === 1 ? new Float32Array(units).fill(bias.data[0]!) : Float32Array.from(bias.data);
      if (beta !== 1) values.forEach((x, i) => (values[i] = x * beta));
      this.variables.push({ name: `${name}/bias`, shape: [units], values });
    }
    this.emit(name, { op: 'dense', inputs: [a.get('onnx')], units: this.hiddenSize(name, units, node), ...(c === undefined ? { use_bias: false } : {}) });
    return this.result([a.shape[0]!, units], 'float32', name, node.output[0]);
  }

  /** A layer's width as a spec param when the layer is hidden (its output is not the model's): the size a user varies. */
  private hiddenSize(name: string, units: number, node: OnnxNode): number | string {
    if (node.output.some((o) => this.graphOutputs.has(o))) return units;
    const param = `${name}_units`.replace(/^([^A-Za-z])/, 'p$1');
    this.params[param] = units;
    return `$${param}`;
  }

  private matmul(node: OnnxNode, a: TensorValue, b: Value): Value {
    if (b.kind === 'float' && b.shape.length === 2) {
      const [inputs, units] = b.shape as [number, number];
      const name = this.nodeName();
      this.variables.push({ name: `${name}/kernel`, shape: [inputs, units], values: Float32Array.from(b.data) });
      const dense: SpecNode = { name, body: { op: 'dense', inputs: [a.get('onnx')], units, use_bias: false } };
      this.nodes.push(dense);
      this.biasless.set(node.output[0]!, dense);
      return this.result([...a.shape.slice(0, -1), units], 'float32', name, node.output[0]);
    }
    const right = this.tensorInput(b);
    const shape = [...a.shape.slice(0, -1), right.shape[right.shape.length - 1]!];
    const name = this.emit(this.nodeName(), { op: 'matmul', inputs: [a.get('onnx'), right.get('onnx')] });
    return this.result(shape, 'float32', name, node.output[0]);
  }

  /** TF's SAME padding for one spatial dimension, or undefined when the size is unknown. */
  private samePads(input: Dim, kernel: number, stride: number): [number, number] | undefined {
    if (input === null) return undefined;
    const out = Math.ceil(input / stride);
    const total = Math.max((out - 1) * stride + kernel - input, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }

  /** How a window op pads: 'VALID', 'SAME', or explicit [[top, bottom], [left, right]]. */
  private padding(x: TensorValue, kernel: number[], strides: number[]): 'VALID' | 'SAME' | [[number, number], [number, number]] {
    const autoPad = this.stringAttr('auto_pad', 'NOTSET');
    if (autoPad === 'VALID') return 'VALID';
    if (autoPad === 'SAME_UPPER') return 'SAME';
    if (autoPad !== 'NOTSET') throw new Unsupported(`auto_pad ${autoPad}`, 'auto_pad NOTSET, VALID or SAME_UPPER');
    const pads = this.intsAttr('pads') ?? [0, 0, 0, 0];
    if (pads.every((p) => p === 0)) return 'VALID';
    const [top, left, bottom, right] = pads as [number, number, number, number];
    const h = this.samePads(x.shape[2]!, kernel[0]!, strides[0]!);
    const w = this.samePads(x.shape[3]!, kernel[1]!, strides[1]!);
    if (h && w && h[0] === top && h[1] === bottom && w[0] === left && w[1] === right) return 'SAME';
    return [
      [top, bottom],
      [left, right],
    ];
  }

  private windowAttrs(x: TensorValue): { kernel: number[]; strides: number[] } {
    if (x.shape.length !== 4) throw new Unsupported(`its input has rank ${x.shape.length}`, '2-D windows over [batch, channels, height, width]');
    const dilations = this.intsAttr('dilations');
    if (dilations && dilations.some((d) => d !== 1)) throw new Unsupported('dilations other than 1', 'dilations of 1');
    const kernel = this.intsAttr('kernel_shape') ?? [];
    return { kernel, strides: this.intsAttr('strides') ?? kernel.map(() => 1) };
  }

  private conv(node: OnnxNode, inputs: (Value | undefined)[]): Value {
    const x = this.tensorInput(inputs[0]);
    const w = this.weight(inputs[1], 'weight');
    if (this.intAttr('group', 1) !== 1) throw new Unsupported('group is not 1', 'ungrouped convolutions (group 1)');
    if (w.shape.length !== 4) throw new Unsupported(`its weight has rank ${w.shape.length}`, '2-D convolutions');
    const [out, channels, kh, kw] = w.shape as [number, number, number, number];
    const { strides } = this.windowAttrs(x);
    const kernel = [kh, kw];
    const padding = this.padding(x, kernel, strides);
    const name = this.nodeName();
    let input = x.get('nhwc');
    if (Array.isArray(padding)) input = this.emit(this.claim(name, '_pad'), { op: 'pad', inputs: [input], paddings: [[0, 0], ...padding, [0, 0]] });
    const filter = this.variableNode(this.claim(name, '_filter'), [kh, kw, channels, out], transposeData(w.data, w.shape, [2, 3, 1, 0], (n) => new Float32Array(n)));
    const hasBias = inputs[2] !== undefined;
    const convName = hasBias ? this.claim(name, '_conv') : name;
    this.emit(convName, { op: 'conv2d', inputs: [input, filter], strides: [1, ...strides, 1], padding: Array.isArray(padding) ? 'VALID' : padding });
    let result = convName;
    if (hasBias) {
      const bias = this.variableNode(this.claim(name, '_bias'), [out], Float32Array.from(this.weight(inputs[2], 'bias').data));
      result = this.emit(name, { op: 'add', inputs: [convName, bias] });
    }
    const spatial = [2, 3].map((axis, i) => {
      const size = x.shape[axis]!;
      if (size === null) return null;
      if (padding === 'SAME') return Math.ceil(size / strides[i]!);
      const pad = Array.isArray(padding) ? padding[i]![0] + padding[i]![1] : 0;
      return Math.floor((size + pad - kernel[i]!) / strides[i]!) + 1;
    });
    return this.tensor([x.shape[0]!, out, ...spatial], 'float32', name, { nhwc: () => result });
  }

  private batchNorm(node: OnnxNode, inputs: (Value | undefined)[]): Value {
    const x = this.tensorInput(inputs[0]);
    if (this.intAttr('training_mode', 0) !== 0) throw new Unsupported('training_mode is 1', 'BatchNormalization exported in eval mode (training_mode 0)');
    const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => this.weight(inputs[i], ['', 'scale', 'B', 'input_mean', 'input_var'][i]!));
    const name = this.nodeName();
    const rank = x.shape.length;
    if (rank !== 4 && rank !== 2) throw new Unsupported(`its input has rank ${rank}`, 'BatchNormalization of [batch, channels] or [batch, channels, height, width]');
    const layout: Layout = rank === 4 ? 'nhwc' : 'onnx';
    const channels = scale!.data.length;
    this.variables.push({ name: `${name}/gamma`, shape: [channels], values: Float32Array.from(scale!.data) });
    this.variables.push({ name: `${name}/beta`, shape: [channels], values: Float32Array.from(bias!.data) });
    this.state.push({ name: `${name}/moving_mean`, shape: [channels], values: Float32Array.from(mean!.data) });
    this.state.push({ name: `${name}/moving_variance`, shape: [channels], values: Float32Array.from(variance!.data) });
    const epsilon = Math.fround(this.floatAttr('epsilon', 1e-5));
    const momentum = Math.fround(this.floatAttr('momentum', 0.9));
    this.emit(name, { op: 'batch_norm', inputs: [x.get(layout)], epsilon: roundFloat(epsilon), momentum: roundFloat(momentum) });
    if (layout === 'onnx') this.onnxNodes.set(node.output[0]!, name);
    return this.tensor(x.shape, 'float32', name, { [layout]: () => name });
  }

  private pool(node: OnnxNode, x: TensorValue): Value {
    const { kernel, strides } = this.windowAttrs(x);
    if (this.intAttr('ceil_mode', 0) !== 0) throw new Unsupported('ceil_mode is 1', 'ceil_mode 0 (PyTorch ceil_mode=False)');
    const max = node.opType === 'MaxPool';
    if (max && node.output.length > 1 && node.output[1] !== '') throw new Unsupported('it returns indices', 'MaxPool without the indices output');
    const padding = this.padding(x, kernel, strides);
    const name = this.nodeName();
    let input = x.get('nhwc');
    let mode: 'VALID' | 'SAME' = Array.isArray(padding) ? 'VALID' : padding;
    if (Array.isArray(padding)) {
      // Explicit pads: MaxPool never picks a padded value (pad with float32's lowest); AveragePool
      // counts padded zeros only with count_include_pad.
      if (!max && this.intAttr('count_include_pad', 0) === 0) throw new Unsupported('asymmetric pads without count_include_pad', "pads equal to TF's SAME padding, or count_include_pad 1");
      input = this.emit(this.claim(name, '_pad'), { op: 'pad', inputs: [input], paddings: [[0, 0], ...padding, [0, 0]], ...(max ? { constant_values: -3.4028234663852886e38 } : {}) });
      mode = 'VALID';
    } else if (padding === 'SAME' && !max && this.intAttr('count_include_pad', 0) !== 0) {
      throw new Unsupported('SAME-like pads with count_include_pad 1', 'count_include_pad 0 with SAME-like pads');
    }
    this.emit(name, { op: max ? 'max_pool' : 'avg_pool', inputs: [input], ksize: [1, ...kernel, 1], strides: [1, ...strides, 1], padding: mode });
    const pads = Array.isArray(padding) ? padding : undefined;
    const spatial = [2, 3].map((axis, i) => {
      const size = x.shape[axis]!;
      if (size === null) return null;
      if (mode === 'SAME' && !pads) return Math.ceil(size / strides[i]!);
      const pad = pads ? pads[i]![0] + pads[i]![1] : 0;
      return Math.floor((size + pad - kernel[i]!) / strides[i]!) + 1;
    });
    return this.tensor([x.shape[0]!, x.shape[1]!, ...spatial], 'float32', name, { nhwc: () => name });
  }

  private globalAveragePool(node: OnnxNode, x: TensorValue): Value {
    if (x.shape.length !== 4) throw new Unsupported(`its input has rank ${x.shape.length}`, 'GlobalAveragePool of [batch, channels, height, width]');
    const name = this.emit(this.nodeName(), { op: 'global_average_pool', inputs: [x.get('nhwc')], keepdims: true });
    return this.tensor([x.shape[0]!, x.shape[1]!, 1, 1], 'float32', name, { nhwc: () => name });
  }

  private pad(node: OnnxNode, inputs: (Value | undefined)[]): Value {
    const x = this.tensorInput(inputs[0]);
    const pads = this.ints(inputs[1], 'pads');
    const mode = this.stringAttr('mode', 'constant');
    const value = inputs[2] === undefined ? 0 : (this.weight(inputs[2], 'constant_value').data[0] ?? 0);
    if (pads.every((p) => p === 0)) return x;
    const rank = x.shape.length;
    if (pads.some((p) => p < 0)) throw new Unsupported('negative pads (cropping)', 'pads ≥ 0');
    const graphcMode = mode === 'reflect' ? 'reflect' : mode === 'constant' ? 'constant' : undefined;
    if (graphcMode === undefined) throw new Unsupported(`mode ${mode}`, 'Pad with mode constant or reflect');
    const pairs = Array.from({ length: rank }, (_, i) => [pads[i]!, pads[i + rank]!]);
    const shape = x.shape.map((d, i) => (d === null ? null : d + pairs[i]![0]! + pairs[i]![1]!));
    const extra = { ...(graphcMode !== 'constant' ? { mode: graphcMode } : {}), ...(value !== 0 ? { constant_values: value } : {}) };
    const name = this.nodeName();
    if (rank === 4 && x.has('nhwc') && !x.has('onnx')) {
      this.emit(name, { op: 'pad', inputs: [x.get('nhwc')], paddings: [pairs[0], pairs[2], pairs[3], pairs[1]], ...extra });
      return this.tensor(shape, x.dtype, name, { nhwc: () => name });
    }
    return this.result(shape, x.dtype, this.emit(name, { op: 'pad', inputs: [x.get('onnx')], paddings: pairs, ...extra }), node.output[0]);
  }

  private layerNorm(node: OnnxNode, inputs: (Value | undefined)[]): Value {
    const x = this.tensorInput(inputs[0]);
    const axis = this.intAttr('axis', -1);
    if (axis !== -1 && axis !== x.shape.length - 1) throw new Unsupported(`axis ${axis}`, 'LayerNormalization over the last axis');
    const scale = this.weight(inputs[1], 'Scale');
    const name = this.nodeName();
    const features = scale.data.length;
    this.variables.push({ name: `${name}/gamma`, shape: [features], values: Float32Array.from(scale.data) });
    const hasBias = inputs[2] !== undefined;
    if (hasBias) this.variables.push({ name: `${name}/beta`, shape: [features], values: Float32Array.from(this.weight(inputs[2], 'B').data) });
    const epsilon = roundFloat(Math.fround(this.floatAttr('epsilon', 1e-5)));
    this.emit(name, { op: 'layer_norm', inputs: [x.get('onnx')], epsilon, ...(hasBias ? {} : { center: false }) });
    return this.result(x.shape, 'float32', name, node.output[0]);
  }

  /** A self-attention fuse.ts recognised: its input, then the q, k, v and output kernels, then (all or none) their biases. */
  private attention(node: OnnxNode, inputs: (Value | undefined)[]): Value {
    const x = this.tensorInput(inputs[0]);
    if (x.shape.length !== 3 || x.shape[2] === null) throw new Unsupported(`its input has shape [${x.shape.join(', ')}]`, 'attention over [batch, time, features]');
    const weights = inputs.slice(1).map((v, i) => this.weight(v, ROLE_WEIGHTS[i]!));
    const heads = this.intAttr('num_heads', 1);
    const keyDim = this.intAttr('key_dim', 0);
    const valueDim = this.intAttr('value_dim', keyDim);
    const features = x.shape[2];
    const outputDim = weights[3]!.shape[1]!;
    const name = this.nodeName();
    weights.forEach((w, i) => this.variables.push({ name: `${name}/${ROLE_WEIGHTS[i]}`, shape: [...w.shape], values: Float32Array.from(w.data) }));
    const attrs = {
      num_heads: heads,
      ...(keyDim * heads !== features ? { key_dim: keyDim } : {}),
      ...(valueDim !== keyDim ? { value_dim: valueDim } : {}),
      ...(outputDim !== features ? { output_dim: outputDim } : {}),
      ...(weights.length === 4 ? { use_bias: false } : {}),
    };
    const input = x.get('onnx');
    this.emit(name, { op: 'multi_head_attention', inputs: [input, input], ...attrs });
    return this.result([x.shape[0]!, x.shape[1]!, outputDim], 'float32', name, node.output[0]);
  }

  // ------------------------------------------------------------ recurrent layers

  private rnn(node: OnnxNode, inputs: (Value | undefined)[]): (Value | undefined)[] {
    const lstm = node.opType === 'LSTM';
    const x = this.tensorInput(inputs[0]);
    const W = this.weight(inputs[1], 'W');
    const R = this.weight(inputs[2], 'R');
    const B = inputs[3] === undefined ? undefined : this.weight(inputs[3], 'B');
    if (inputs[4] !== undefined) throw new Unsupported('it has sequence_lens', 'GRU/LSTM without sequence_lens (every sequence full length)');
    for (const i of lstm ? [5, 6] : [5]) {
      const init = inputs[i];
      const zero = init === undefined || init.kind === 'zeros' || (init.kind === 'float' && init.data.every((v) => v === 0));
      if (!zero) throw new Unsupported(`its initial ${i === 5 ? 'hidden' : 'cell'} state is not zero`, 'GRU/LSTM starting from a zero state');
    }
    if (lstm && inputs[7] !== undefined) throw new Unsupported('it has peepholes (P)', 'LSTM without peepholes');
    const direction = this.stringAttr('direction', 'forward');
    if (direction === 'reverse') throw new Unsupported('direction is reverse', 'direction forward or bidirectional');
    this.onlyDefault('layout', (a) => (a.i ?? 0) === 0, 'layout 0 (time-major, as PyTorch exports)');
    this.onlyDefault('clip', () => false, 'no clip');
    if (lstm) this.onlyDefault('input_forget', (a) => (a.i ?? 0) === 0, 'input_forget 0');
    const defaults = lstm ? ['Sigmoid', 'Tanh', 'Tanh'] : ['Sigmoid', 'Tanh'];
    const activations = this.attr('activations')?.strings?.map((s) => new TextDecoder().decode(s));
    if (activations && activations.some((a, i) => a !== defaults[i % defaults.length])) throw new Unsupported(`activations ${activations.join(', ')}`, `the default activations (${defaults.join(', ')})`);
    const resetAfter = !lstm && this.intAttr('linear_before_reset', 0) !== 0;
    const directions = direction === 'bidirectional' ? 2 : 1;
    const units = this.intAttr('hidden_size', R.shape[2] ?? 0);
    const inputSize = W.shape[2]!;
    const [time, batch] = x.shape;
    if (time === null || time === undefined) throw new Unsupported('the sequence length is known only at run time', 'sequences of a fixed length');
    const name = this.nodeName();
    const gates = lstm ? 4 : 3;
    for (let d = 0; d < directions; d++) {
      const prefix = directions === 2 ? `${name}/layer_0/${d === 0 ? 'fw' : 'bw'}` : `${name}/cell_0`;
      const w = W.data.subarray(d * gates * units * inputSize, (d + 1) * gates * units * inputSize);
      const r = R.data.subarray(d * gates * units * units, (d + 1) * gates * units * units);
      const b = B === undefined ? new Float32Array(2 * gates * units) : B.data.subarray(d * 2 * gates * units, (d + 1) * 2 * gates * units);
      const weights = lstm ? lstmWeights(w, r, b, inputSize, units) : gruWeights(w, r, b, inputSize, units, resetAfter);
      for (const [suffix, shape, values] of weights) this.variables.push({ name: `${prefix}/${suffix}`, shape, values });
    }
    const unitsValue = this.rnnUnits(name, units);
    const cell = { type: lstm ? 'block_lstm' : 'block_gru', units: unitsValue, ...(resetAfter ? { reset_after: true } : {}) };
    this.emit(name, { op: directions === 2 ? 'stack_bidirectional_rnn' : 'dynamic_rnn', inputs: [x.get('batch_major')], layers: 1, cell });
    const y = this.tensor([time, directions, batch ?? null, units], 'float32', name, { rnn_concat: () => name }, 'TDBH');
    const finalState = (which: string): Value =>
      this.tensor([directions, batch ?? null, units], 'float32', `${name}_${which}`, {
        onnx: () => {
          throw new Unsupported(`its final ${which} state is used`, 'GRU/LSTM whose output Y alone is read (take its last step for the final state)');
        },
      });
    return [y, finalState('hidden'), lstm ? finalState('cell') : undefined];
  }

  private rnnUnits(name: string, units: number): string {
    const param = `${name}_units`.replace(/^([^A-Za-z])/, 'p$1');
    this.params[param] = units;
    return `$${param}`;
  }
}

/** Ops graphc imports only inside a decomposition fuse.ts recognises. */
const FUSED_ONLY: Readonly<Record<string, string>> = {
  Erf: "the exact GELU, x·½·(1 + Erf(x/√2))",
  Pow: 'a LayerNorm written out (ReduceMean, Sub, Pow 2, ReduceMean, Add ε, Sqrt, Div, Mul γ)',
};

/** Why an op type is refused: graphc has no op for it, or has one only within a pattern this node is not part of. */
function noOp(opType: string): string {
  const within = FUSED_ONLY[opType];
  return within === undefined ? `graphc has no op for ${opType}` : `graphc has no op for ${opType} outside ${within}, which this node is not part of`;
}

/** float32 attributes written as the shortest decimal that reads back as the same float32. */
function roundFloat(x: number): number {
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(x.toPrecision(digits));
    if (Math.fround(candidate) === Math.fround(x)) return candidate;
  }
  return x;
}

/** Element-wise integer arithmetic on constants (ONNX's Div of integers truncates); null, a run-time size, stays null. */
function foldInts(op: string, a: IntConst, b: IntConst): IntConst {
  const n = Math.max(a.data.length, b.data.length);
  const at = (c: IntConst, i: number): number | null => (c.data.length === 1 ? c.data[0]! : c.data[i]!) ?? null;
  const data = Array.from({ length: n }, (_, i) => {
    const x = at(a, i);
    const y = at(b, i);
    if (x === null || y === null) return null;
    if (op === 'add') return x + y;
    if (op === 'sub') return x - y;
    if (op === 'mul') return x * y;
    return y === 0 ? null : Math.trunc(x / y);
  });
  return { kind: 'int', shape: a.data.length >= b.data.length ? a.shape : b.shape, data };
}

function broadcast(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    // Missing leading dimensions are 1; a run-time size (null) is not.
    const at = (dims: readonly Dim[]): Dim => (dims.length - rank + i >= 0 ? dims[dims.length - rank + i]! : 1);
    const x = at(a);
    const y = at(b);
    if (x === 1) return y;
    if (y === 1) return x;
    return x ?? y;
  });
}

/** Rows [from, from + count) of a row-major [*, cols] matrix. */
function rows(data: Float32Array, from: number, count: number, cols: number): Float32Array {
  return data.subarray(from * cols, (from + count) * cols);
}

/** Stacks [inputs, n] over [units, n] into [inputs + units, n], as TF's kernels read concat([x, h]). */
function stackKernel(input: Float32Array, recurrent: Float32Array, inputSize: number, units: number, cols: number): Float32Array {
  const out = new Float32Array((inputSize + units) * cols);
  out.set(input, 0);
  out.set(recurrent, inputSize * cols);
  return out;
}

/** [gate rows of W (out × in)] for several gates, as one [in, gates·units] column block. */
function columns(matrix: Float32Array, gateOrder: readonly number[], units: number, inner: number): Float32Array {
  const picked = new Float32Array(gateOrder.length * units * inner);
  gateOrder.forEach((g, i) => picked.set(rows(matrix, g * units, units, inner), i * units * inner));
  return transpose2d(picked, gateOrder.length * units, inner);
}

/**
 * ONNX GRU weights (gates z, r, h; W [3H, I], R [3H, H], B [Wb | Rb]) as
 * graphc's (gru_weights.ts): gates kernel columns r then u (= z), candidate
 * kernel; with linear_before_reset the recurrent candidate bias stays apart.
 */
function gruWeights(W: Float32Array, R: Float32Array, B: Float32Array, inputSize: number, units: number, resetAfter: boolean): [string, number[], Float32Array][] {
  const [Z, Rg, H] = [0, 1, 2];
  const wb = (g: number): Float32Array => B.subarray(g * units, (g + 1) * units);
  const rb = (g: number): Float32Array => B.subarray((3 + g) * units, (4 + g) * units);
  const sum = (a: Float32Array, b: Float32Array): Float32Array => a.map((x, i) => x + b[i]!);
  const gatesKernel = stackKernel(columns(W, [Rg, Z], units, inputSize), columns(R, [Rg, Z], units, units), inputSize, units, 2 * units);
  const gatesBias = Float32Array.from([...sum(wb(Rg), rb(Rg)), ...sum(wb(Z), rb(Z))]);
  const candidateKernel = stackKernel(columns(W, [H], units, inputSize), columns(R, [H], units, units), inputSize, units, units);
  const list: [string, number[], Float32Array][] = [
    ['gates/kernel', [inputSize + units, 2 * units], gatesKernel],
    ['gates/bias', [2 * units], gatesBias],
    ['candidate/kernel', [inputSize + units, units], candidateKernel],
    ['candidate/bias', [units], resetAfter ? Float32Array.from(wb(H)) : sum(wb(H), rb(H))],
  ];
  if (resetAfter) list.push(['candidate/recurrent_bias', [units], Float32Array.from(rb(H))]);
  return list;
}

/**
 * ONNX LSTM weights (gates i, o, f, c; W [4H, I], R [4H, H], B [Wb | Rb]) as
 * graphc's (lstm_weights.ts): one kernel with columns i, j (= c), f, o, and
 * one bias, the sum of ONNX's two less the forget bias graphc adds.
 */
function lstmWeights(W: Float32Array, R: Float32Array, B: Float32Array, inputSize: number, units: number): [string, number[], Float32Array][] {
  const [I, O, F, C] = [0, 1, 2, 3];
  const order = [I, C, F, O];
  const kernel = stackKernel(columns(W, order, units, inputSize), columns(R, order, units, units), inputSize, units, 4 * units);
  const bias = new Float32Array(4 * units);
  order.forEach((g, i) => {
    for (let u = 0; u < units; u++) bias[i * units + u] = B[g * units + u]! + B[(4 + g) * units + u]! - (g === F ? FORGET_BIAS : 0);
  });
  return [
    ['kernel', [inputSize + units, 4 * units], kernel],
    ['bias', [4 * units], bias],
  ];
}
