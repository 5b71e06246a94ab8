/**
 * What an ONNX value is while the importer walks the graph: a constant it
 * folds (initializers, Constant nodes, Shape arithmetic), zeros of a shape
 * known only at run time (ConstantOfShape over a batch size), or a tensor
 * that graphc nodes compute.
 *
 * A tensor may exist in graphc in another layout than ONNX's: a convolution
 * chain runs NHWC while ONNX speaks NCHW, and an RNN reads and writes
 * batch-major sequences while PyTorch's exporter transposes them to time-major
 * around each GRU/LSTM. A tensor therefore keeps its forms by layout, each
 * emitted only when a consumer asks for it, so the transposes that cancel out
 * never reach the spec.
 */

/** A dimension; null where only the run knows it (the batch). */
export type Dim = number | null;

export interface FloatConst {
  readonly kind: 'float';
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** An integer constant (shapes, axes, indices); null elements are sizes known only at run time. */
export interface IntConst {
  readonly kind: 'int';
  readonly shape: readonly number[];
  readonly data: readonly (number | null)[];
}

/** Zeros whose shape holds a run-time size: only an RNN's initial state may be one. */
export interface Zeros {
  readonly kind: 'zeros';
  readonly shape: readonly Dim[];
}

/**
 * The layouts a tensor's graphc node may hold it in: `onnx` as ONNX has it;
 * `nhwc` the NHWC form of an NCHW tensor; `batch_major` the [batch, time, …]
 * form of a time-major [time, batch, …] sequence; `rnn_concat` the graphc RNN
 * output [batch, time, directions·units] of an ONNX Y [time, directions,
 * batch, units] (or its [time, batch, directions, units] transpose).
 */
export type Layout = 'onnx' | 'nhwc' | 'batch_major' | 'rnn_concat';

export class TensorValue {
  readonly kind = 'tensor';
  private readonly forms = new Map<Layout, () => string>();
  private readonly made = new Map<Layout, string>();

  constructor(
    /** ONNX's shape of the value. */
    readonly shape: readonly Dim[],
    readonly dtype: 'float32' | 'int32',
    /** The name derived forms are named after. */
    readonly base: string,
    forms: Partial<Record<Layout, () => string>>,
    /** Derives a missing form from one the value has (the importer's transposes). */
    private readonly derive: (value: TensorValue, want: Layout) => string,
    /** For an rnn_concat form: whether the value is ONNX's Y [time, directions, batch, units] or its [time, batch, directions, units] transpose. */
    readonly rnnOrder?: 'TDBH' | 'TBDH',
  ) {
    for (const [layout, make] of Object.entries(forms) as [Layout, () => string][]) this.forms.set(layout, make);
  }

  has(layout: Layout): boolean {
    return this.forms.has(layout);
  }

  /** The graphc node holding the value in `layout`, emitting it (and what it needs) on first use. */
  get(layout: Layout = 'onnx'): string {
    const done = this.made.get(layout);
    if (done !== undefined) return done;
    const make = this.forms.get(layout);
    const name = make ? make() : this.derive(this, layout);
    this.made.set(layout, name);
    return name;
  }
}

export type Value = FloatConst | IntConst | Zeros | TensorValue;

export function isConst(v: Value): v is FloatConst | IntConst {
  return v.kind === 'float' || v.kind === 'int';
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major strides of a shape. */
export function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) out[i] = out[i + 1]! * shape[i + 1]!;
  return out;
}

/** Transposes a row-major array by perm (out dim i is in dim perm[i]). */
export function transposeData<T extends { length: number; [i: number]: number | null }>(data: T, shape: readonly number[], perm: readonly number[], make: (n: number) => T): T {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = strides(shape);
  const n = size(shape);
  const out = make(n);
  const index = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < n; o++) {
    let src = 0;
    for (let d = 0; d < perm.length; d++) src += index[d]! * inStrides[perm[d]!]!;
    out[o] = data[src]!;
    for (let d = outShape.length - 1; d >= 0; d--) {
      index[d]!++;
      if (index[d]! < outShape[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}

/** A 2-D float matrix's transpose. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  return transposeData(data, [rows, cols], [1, 0], (n) => new Float32Array(n));
}
