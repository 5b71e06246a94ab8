/**
 * ONNX files as typed objects: decode(bytes) → OnnxModel and
 * encode(model) → bytes, through protobufjs over ONNX's own schema
 * (onnx-proto.ts). Decoding checks what protobuf cannot (a size limit, a
 * graph present, tensor data that fits its dims), so code above this module
 * meets only well-formed models; anything else is GC800, never an exception
 * from the parser.
 *
 * int64 fields arrive as JavaScript numbers: ONNX's int64 dims, attributes
 * and versions are far below 2^53, and the few sentinels PyTorch writes
 * (INT64_MAX as "to the end" in Slice) keep their meaning when rounded.
 */
import protobuf from 'protobufjs';
import type { OnnxFileProblem } from '../../common/diagnostics/catalogue.js';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { ONNX_PROTO } from './onnx-proto.js';

/** TensorProto.DataType values graphc meets. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
} as const;

/** AttributeProto.AttributeType values. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
  TYPE_PROTO: 13,
  TYPE_PROTOS: 14,
} as const;

export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: number;
  /** Little-endian values, when the tensor keeps them raw (PyTorch's exporter always does). */
  readonly rawData?: Uint8Array | undefined;
  readonly floatData?: readonly number[] | undefined;
  readonly int32Data?: readonly number[] | undefined;
  readonly int64Data?: readonly number[] | undefined;
  readonly doubleData?: readonly number[] | undefined;
  readonly docString?: string | undefined;
}

export interface OnnxAttribute {
  readonly name: string;
  readonly type: number;
  readonly f?: number | undefined;
  readonly i?: number | undefined;
  readonly s?: Uint8Array | undefined;
  readonly t?: OnnxTensor | undefined;
  readonly g?: OnnxGraph | undefined;
  readonly floats?: readonly number[] | undefined;
  readonly ints?: readonly number[] | undefined;
  readonly strings?: readonly Uint8Array[] | undefined;
  readonly tensors?: readonly OnnxTensor[] | undefined;
}

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  /** '' (or 'ai.onnx') for the standard operators. */
  readonly domain: string;
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly attribute: readonly OnnxAttribute[];
  readonly docString?: string | undefined;
}

/** A dimension: a number, a symbolic name (a batch size), or neither. */
export interface OnnxDim {
  readonly dimValue?: number | undefined;
  readonly dimParam?: string | undefined;
}

export interface OnnxValueInfo {
  readonly name: string;
  /** Absent when the file gives no tensor type; shape absent when the rank is unknown. */
  readonly type?: { readonly elemType: number; readonly shape?: readonly OnnxDim[] | undefined } | undefined;
  readonly docString?: string | undefined;
}

export interface OnnxGraph {
  readonly name: string;
  readonly node: readonly OnnxNode[];
  readonly initializer: readonly OnnxTensor[];
  readonly input: readonly OnnxValueInfo[];
  readonly output: readonly OnnxValueInfo[];
  readonly valueInfo: readonly OnnxValueInfo[];
  readonly docString?: string | undefined;
}

export interface OnnxOpsetId {
  /** '' for the default domain (ai.onnx). */
  readonly domain: string;
  readonly version: number;
}

export interface OnnxModel {
  readonly irVersion: number;
  readonly opsetImport: readonly OnnxOpsetId[];
  readonly producerName?: string | undefined;
  readonly producerVersion?: string | undefined;
  readonly domain?: string | undefined;
  readonly modelVersion?: number | undefined;
  readonly docString?: string | undefined;
  readonly graph: OnnxGraph;
  readonly metadataProps?: readonly { readonly key: string; readonly value: string }[] | undefined;
}

export interface DecodeLimits {
  /** The largest file accepted, in bytes (default 512 MiB). */
  readonly maxBytes?: number;
  /** The most elements one tensor may hold (default 2^28). */
  readonly maxTensorElements?: number;
  /** The most nodes a graph may hold (default 100 000). */
  readonly maxNodes?: number;
}

const DEFAULT_LIMITS: Required<DecodeLimits> = { maxBytes: 512 * 1024 * 1024, maxTensorElements: 2 ** 28, maxNodes: 100_000 };

let modelType: protobuf.Type | undefined;

/** ModelProto, parsed from the schema text once. */
function modelProto(): protobuf.Type {
  modelType ??= protobuf.parse(ONNX_PROTO, { keepCase: false }).root.lookupType('onnx.ModelProto');
  return modelType;
}

/** Decodes an ONNX model; `file` names it in diagnostics. Bad bytes are GC800. */
export function decodeModel(bytes: Uint8Array, file: string, limits: DecodeLimits = {}): OnnxModel {
  const limit = { ...DEFAULT_LIMITS, ...limits };
  const bad = (problem: OnnxFileProblem): never => fail('GC800', { file, problem }, { file });
  if (bytes.length === 0) bad({ kind: 'empty' });
  if (bytes.length > limit.maxBytes) bad({ kind: 'too_large', bytes: bytes.length, limit: limit.maxBytes });
  let raw: Record<string, unknown>;
  try {
    const type = modelProto();
    raw = type.toObject(type.decode(bytes), { longs: String, enums: Number, defaults: false, arrays: true });
  } catch (error) {
    // protobufjs reports truncation and bad wire types as Errors; a message nested past the
    // stack's depth (a hostile file) as a RangeError. Either way the bytes are not a model.
    return bad({ kind: 'protobuf', parserMessage: error instanceof Error ? error.message : String(error) });
  }
  const convert = new Converter(file, limit);
  return convert.model(raw);
}

type Raw = Record<string, unknown>;

/** Turns protobufjs's plain objects into the typed model, checking as it goes. */
class Converter {
  constructor(
    private readonly file: string,
    private readonly limit: Required<DecodeLimits>,
  ) {}

  private bad(problem: OnnxFileProblem): never {
    return fail('GC800', { file: this.file, problem }, { file: this.file });
  }

  model(raw: Raw): OnnxModel {
    if (raw.graph === undefined) this.bad({ kind: 'no_graph' });
    const opsets = this.array(raw.opsetImport).map((o) => ({ domain: this.str(o.domain), version: this.int(o.version) }));
    return {
      irVersion: this.int(raw.irVersion),
      opsetImport: opsets,
      producerName: this.optStr(raw.producerName),
      producerVersion: this.optStr(raw.producerVersion),
      domain: this.optStr(raw.domain),
      modelVersion: raw.modelVersion === undefined ? undefined : this.int(raw.modelVersion),
      docString: this.optStr(raw.docString),
      graph: this.graph(raw.graph as Raw, 0),
      metadataProps: this.array(raw.metadataProps).map((e) => ({ key: this.str(e.key), value: this.str(e.value) })),
    };
  }

  private graph(raw: Raw, depth: number): OnnxGraph {
    const nodes = this.array(raw.node);
    if (nodes.length > this.limit.maxNodes) this.bad({ kind: 'too_many_nodes', nodes: nodes.length, limit: this.limit.maxNodes });
    return {
      name: this.str(raw.name),
      node: nodes.map((n) => this.node(n, depth)),
      initializer: this.array(raw.initializer).map((t) => this.tensor(t)),
      input: this.array(raw.input).map((v) => this.valueInfo(v)),
      output: this.array(raw.output).map((v) => this.valueInfo(v)),
      valueInfo: this.array(raw.valueInfo).map((v) => this.valueInfo(v)),
      docString: this.optStr(raw.docString),
    };
  }

  private node(raw: Raw, depth: number): OnnxNode {
    return {
      name: this.str(raw.name),
      opType: this.str(raw.opType),
      domain: this.str(raw.domain),
      input: this.strings(raw.input),
      output: this.strings(raw.output),
      attribute: this.array(raw.attribute).map((a) => this.attribute(a, depth)),
      docString: this.optStr(raw.docString),
    };
  }

  private attribute(raw: Raw, depth: number): OnnxAttribute {
    // Subgraphs (If, Loop) nest; graphc imports none, but a file may still hold them.
    if (depth > 16) this.bad({ kind: 'nesting', limit: 16 });
    return {
      name: this.str(raw.name),
      type: typeof raw.type === 'number' ? raw.type : AttributeType.UNDEFINED,
      f: typeof raw.f === 'number' ? raw.f : undefined,
      i: raw.i === undefined ? undefined : this.int(raw.i),
      s: raw.s instanceof Uint8Array ? raw.s : undefined,
      t: raw.t === undefined ? undefined : this.tensor(raw.t as Raw),
      g: raw.g === undefined ? undefined : this.graph(raw.g as Raw, depth + 1),
      floats: Array.isArray(raw.floats) ? (raw.floats as number[]) : undefined,
      ints: Array.isArray(raw.ints) ? (raw.ints as unknown[]).map((v) => this.int(v)) : undefined,
      strings: Array.isArray(raw.strings) ? (raw.strings as Uint8Array[]) : undefined,
      tensors: Array.isArray(raw.tensors) ? this.array(raw.tensors).map((t) => this.tensor(t)) : undefined,
    };
  }

  private tensor(raw: Raw): OnnxTensor {
    const name = this.str(raw.name);
    const dims = this.array<unknown>(raw.dims).map((d) => this.int(d));
    const dataType = typeof raw.dataType === 'number' ? raw.dataType : DataType.UNDEFINED;
    if (raw.dataLocation === 1) this.bad({ kind: 'external_data', tensor: name });
    if (dims.some((d) => d < 0)) this.bad({ kind: 'tensor', tensor: name, reason: 'negative_dim' });
    const elements = dims.reduce((a, b) => a * b, 1);
    if (elements > this.limit.maxTensorElements) this.bad({ kind: 'tensor_too_large', tensor: name, elements, limit: this.limit.maxTensorElements });
    const tensor: OnnxTensor = {
      name,
      dims,
      dataType,
      rawData: raw.rawData instanceof Uint8Array ? raw.rawData : undefined,
      floatData: Array.isArray(raw.floatData) && raw.floatData.length > 0 ? (raw.floatData as number[]) : undefined,
      int32Data: Array.isArray(raw.int32Data) && raw.int32Data.length > 0 ? (raw.int32Data as number[]) : undefined,
      int64Data: Array.isArray(raw.int64Data) && raw.int64Data.length > 0 ? (raw.int64Data as unknown[]).map((v) => this.int(v)) : undefined,
      doubleData: Array.isArray(raw.doubleData) && raw.doubleData.length > 0 ? (raw.doubleData as number[]) : undefined,
      docString: this.optStr(raw.docString),
    };
    const width = ELEMENT_BYTES[dataType];
    if (tensor.rawData !== undefined && width !== undefined && tensor.rawData.length !== elements * width) {
      this.bad({ kind: 'tensor', tensor: name, reason: 'data_length' });
    }
    return tensor;
  }

  private valueInfo(raw: Raw): OnnxValueInfo {
    const type = raw.type as Raw | undefined;
    const tensorType = type?.tensorType as Raw | undefined;
    const shape = tensorType?.shape as Raw | undefined;
    return {
      name: this.str(raw.name),
      type:
        tensorType === undefined
          ? undefined
          : {
              elemType: typeof tensorType.elemType === 'number' ? tensorType.elemType : DataType.UNDEFINED,
              shape:
                shape === undefined
                  ? undefined
                  : this.array(shape.dim).map((d) => ({
                      dimValue: d.dimValue === undefined ? undefined : this.int(d.dimValue),
                      dimParam: this.optStr(d.dimParam),
                    })),
            },
      docString: this.optStr(raw.docString),
    };
  }

  private array<T = Raw>(value: unknown): T[] {
    return Array.isArray(value) ? (value as T[]) : [];
  }

  private strings(value: unknown): string[] {
    return this.array<unknown>(value).map((s) => this.str(s));
  }

  private str(value: unknown): string {
    return typeof value === 'string' ? value : '';
  }

  private optStr(value: unknown): string | undefined {
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  private int(value: unknown): number {
    if (value === undefined || value === null) return 0;
    const n = Number(value);
    if (!Number.isFinite(n)) this.bad({ kind: 'protobuf', parserMessage: `an integer field holds ${String(value)}` });
    return n;
  }
}

/** Bytes per element of the data types graphc reads raw. */
const ELEMENT_BYTES: Readonly<Record<number, number>> = {
  [DataType.FLOAT]: 4,
  [DataType.DOUBLE]: 8,
  [DataType.INT32]: 4,
  [DataType.INT64]: 8,
  [DataType.INT8]: 1,
  [DataType.UINT8]: 1,
  [DataType.BOOL]: 1,
  [DataType.INT16]: 2,
  [DataType.UINT16]: 2,
  [DataType.FLOAT16]: 2,
};

/** The number of elements dims describe. */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/**
 * A tensor's values as float32, or undefined for a type that has none graphc
 * can use (strings, complex numbers). Integers and booleans convert exactly
 * when they fit float32's 24 bits; use tensorIntegers for shapes and indices.
 */
export function tensorFloats(t: OnnxTensor): Float32Array | undefined {
  const n = elementCount(t.dims);
  if (t.dataType === DataType.FLOAT) {
    if (t.rawData !== undefined) return littleEndian(t.rawData, n, 4, (v, i) => v.getFloat32(i * 4, true), Float32Array);
    return Float32Array.from(t.floatData ?? []);
  }
  if (t.dataType === DataType.DOUBLE) {
    if (t.rawData !== undefined) return littleEndian(t.rawData, n, 8, (v, i) => v.getFloat64(i * 8, true), Float32Array);
    return Float32Array.from(t.doubleData ?? []);
  }
  const ints = tensorIntegers(t);
  return ints === undefined ? undefined : Float32Array.from(ints);
}

/** A tensor's values as numbers, for the integer and boolean types (undefined for others). */
export function tensorIntegers(t: OnnxTensor): number[] | undefined {
  const n = elementCount(t.dims);
  const raw = t.rawData;
  const read = (width: number, get: (v: DataView, i: number) => number): number[] =>
    raw === undefined ? [] : Array.from(littleEndian(raw, n, width, get, Float64Array));
  switch (t.dataType) {
    case DataType.INT64:
      return raw !== undefined ? read(8, (v, i) => Number(v.getBigInt64(i * 8, true))) : [...(t.int64Data ?? [])];
    case DataType.INT32:
      return raw !== undefined ? read(4, (v, i) => v.getInt32(i * 4, true)) : [...(t.int32Data ?? [])];
    case DataType.INT16:
      return raw !== undefined ? read(2, (v, i) => v.getInt16(i * 2, true)) : [...(t.int32Data ?? [])];
    case DataType.UINT16:
      return raw !== undefined ? read(2, (v, i) => v.getUint16(i * 2, true)) : [...(t.int32Data ?? [])];
    case DataType.INT8:
      return raw !== undefined ? read(1, (v, i) => v.getInt8(i)) : [...(t.int32Data ?? [])];
    case DataType.UINT8:
      return raw !== undefined ? read(1, (v, i) => v.getUint8(i)) : [...(t.int32Data ?? [])];
    case DataType.BOOL:
      return raw !== undefined ? read(1, (v, i) => (v.getUint8(i) === 0 ? 0 : 1)) : (t.int32Data ?? []).map((v) => (v === 0 ? 0 : 1));
    default:
      return undefined;
  }
}

function littleEndian<A extends Float32Array | Float64Array>(
  raw: Uint8Array,
  n: number,
  width: number,
  get: (view: DataView, i: number) => number,
  Out: { new (n: number): A },
): A {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const count = Math.min(n, Math.floor(raw.byteLength / width));
  const out = new Out(count);
  for (let i = 0; i < count; i++) out[i] = get(view, i);
  return out;
}

/** A float32 tensor with its values raw, as exporters write initializers. */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array): OnnxTensor {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return { name, dims: [...dims], dataType: DataType.FLOAT, rawData: raw };
}

/** An int64 tensor with its values raw (shapes, axes, indices). */
export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): OnnxTensor {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return { name, dims: [...dims], dataType: DataType.INT64, rawData: raw };
}

/** Encodes a model as ONNX bytes (protobuf's wire format, fields in ONNX's numbering). */
export function encodeModel(model: OnnxModel): Uint8Array {
  const type = modelProto();
  const message = type.fromObject({ ...model, graph: rawGraph(model.graph) });
  return type.encode(message).finish();
}

/** The typed graph in protobuf's nesting: a value info's type is TypeProto { tensor_type { shape { dim } } }. */
function rawGraph(graph: OnnxGraph): Raw {
  const info = (v: OnnxValueInfo): Raw => ({
    name: v.name,
    docString: v.docString,
    type: v.type === undefined ? undefined : { tensorType: { elemType: v.type.elemType, shape: v.type.shape === undefined ? undefined : { dim: v.type.shape } } },
  });
  return {
    ...graph,
    input: graph.input.map(info),
    output: graph.output.map(info),
    valueInfo: graph.valueInfo.map(info),
    node: graph.node.map((n) => ({ ...n, attribute: n.attribute.map((a) => (a.g === undefined ? a : { ...a, g: rawGraph(a.g) })) })),
  };
}
