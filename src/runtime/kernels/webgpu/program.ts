/**
 * What graphc's WebGPU kernels share: a program description run through the
 * backend's runWebGPUProgram (so tfjs owns buffers, pipelines and command
 * submission), and the WGSL helpers the sequence kernels use.
 *
 * tfjs prepends to every program the storage bindings `result` (the output,
 * read_write) and one read-only array per input name, the `uniforms` struct
 * (NAN, INFINITY, each input's and the output's shape and strides, then the
 * program's own fields), and the private `localId`, `workgroupId`, … that its
 * `_start` entry point fills before calling `main(index)`.
 */
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { fail } from '../../../diagnostics/diagnostic.js';
import type { tf } from '../../tf.js';

/**
 * A program's own uniform values, one entry per scalar field of its
 * `uniforms`, in order (tfjs aligns an entry of n values as a vecN).
 */
export type UniformValues = Array<{ type: 'float32' | 'int32'; data: [number] }>;

export function intUniforms(...values: number[]): UniformValues {
  return values.map((v) => ({ type: 'int32', data: [v] }));
}

export interface ProgramSpec {
  /**
   * Names the pipeline in tfjs's cache: the program's name and every size or
   * flag baked into the code, so that two shapes never share a pipeline.
   */
  readonly key: string;
  /** WGSL names of the input arrays, in the order the tensors are passed. */
  readonly inputs: readonly string[];
  readonly outputShape: readonly number[];
  readonly workgroupSize: readonly [number, number, number];
  /** Workgroups in x, y, z. */
  readonly dispatch: readonly [number, number, number];
  /** Extra `uniforms` fields, e.g. 'forgetBias : f32,'. */
  readonly uniforms?: string;
  /** Constants, workgroup variables, helpers and `fn main(index : i32)`. */
  readonly code: string;
}

/** One run's program object: runWebGPUProgram fills in the pipeline, shader key and dispatch. */
class GraphcProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  uniforms?: string;
  private readonly code: string;

  constructor(spec: ProgramSpec) {
    this.outputShape = [...spec.outputShape];
    this.shaderKey = `graphc_${spec.key}`;
    // A flat layout makes tfjs call main(index) with the flat invocation index.
    this.dispatchLayout = { x: spec.outputShape.map((_, i) => i) };
    this.dispatch = [...spec.dispatch];
    this.variableNames = [...spec.inputs];
    this.workgroupSize = [...spec.workgroupSize];
    if (spec.uniforms !== undefined) this.uniforms = spec.uniforms;
    this.code = spec.code;
  }

  getUserCode(): string {
    return this.code;
  }
}

/**
 * Runs a program; the output is a new float32 tensor the caller owns. A
 * pipeline's bind group layout keeps only the bindings its code uses, so every
 * program must read each of its inputs and at least one uniform.
 */
export function runProgram(backend: WebGPUBackend, spec: ProgramSpec, inputs: readonly tf.TensorInfo[], uniforms?: UniformValues): tf.TensorInfo {
  if (inputs.length !== spec.inputs.length) throw new Error(`${spec.key}: ${inputs.length} inputs for ${spec.inputs.length} names`);
  return backend.runWebGPUProgram(new GraphcProgram(spec), [...inputs], 'float32', uniforms);
}

/** Invocations per workgroup every WebGPU device supports. */
export const MAX_WORKGROUP = 256;

/**
 * How a per-row sequence kernel spreads `units` hidden units over one
 * workgroup: `lanes` invocations (a power of two up to 256), each owning
 * units lane, lane + lanes, … (`perLane` of them).
 */
export function unitLanes(units: number): { lanes: number; perLane: number } {
  let lanes = 1;
  while (lanes < units && lanes < MAX_WORKGROUP) lanes *= 2;
  return { lanes, perLane: Math.ceil(units / lanes) };
}

/** Fails with GC742 unless `floats` workgroup floats fit the device. */
export function checkWorkgroupStorage(backend: WebGPUBackend, kernel: string, floats: number, what: string): void {
  const limit = backend.device.limits.maxComputeWorkgroupStorageSize;
  if (floats * 4 > limit) fail('GC742', { kernel, detail: `${what} needs ${floats * 4} bytes of workgroup memory; the device has ${limit}` });
}

/** Releases an intermediate tensor a kernel made and does not return. */
export function disposeIntermediate(backend: WebGPUBackend, info: tf.TensorInfo): void {
  backend.disposeData(info.dataId);
}

/** Activations that neither overflow nor lose precision at large |v| (tfjs's webgpu TANH is written the same way). */
export const ACTIVATIONS_WGSL = /* wgsl */ `
fn sigmoidOf(v : f32) -> f32 {
  return 1.0 / (1.0 + exp(-v));
}
fn tanhOf(v : f32) -> f32 {
  let e = exp(-2.0 * abs(v));
  return sign(v) * (1.0 - e) / (1.0 + e);
}
`;

/**
 * Time order of a whole-sequence kernel: processing step s reads time
 * timeAt(s); the state a step starts from is that of time prevTime(t), which
 * exists when hasPrev(t). A reversed sequence runs t = T-1 … 0.
 */
export function timeOrderWgsl(reverse: boolean): string {
  return reverse
    ? /* wgsl */ `
fn timeAt(s : i32, steps : i32) -> i32 { return steps - 1 - s; }
fn prevTime(t : i32) -> i32 { return t + 1; }
fn hasPrev(t : i32, steps : i32) -> bool { return t + 1 < steps; }
`
    : /* wgsl */ `
fn timeAt(s : i32, steps : i32) -> i32 { return s; }
fn prevTime(t : i32) -> i32 { return t - 1; }
fn hasPrev(t : i32, steps : i32) -> bool { return t > 0; }
`;
}

/**
 * For reductions over all B·T rows of a sequence kernel's `saved` tensor
 * (row m = b·T + t, `width` values each): previousSaved(m, col) is value col
 * of the row the step at m started from, 0 at the start of the sequence.
 */
export function previousSavedWgsl(steps: number, width: number, reverse: boolean): string {
  return /* wgsl */ `
const STEPS : i32 = ${steps};
const SAVED : i32 = ${width};
${timeOrderWgsl(reverse)}
fn previousSaved(m : i32, col : i32) -> f32 {
  let t = m % STEPS;
  if (!hasPrev(t, STEPS)) { return 0.0; }
  return saved[(m - t + prevTime(t)) * SAVED + col];
}
`;
}

/**
 * Copies the first `width` of every `stride` values per row: the h columns
 * of a sequence kernel's combined output, as a tensor of `outputShape`.
 */
export function leadingColumnsSpec(name: string, outputShape: readonly number[], width: number, stride: number): ProgramSpec {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    key: `${name}_columns_${width}_${stride}`,
    inputs: ['packed'],
    outputShape,
    workgroupSize: [64, 1, 1],
    dispatch: [Math.ceil(size / 64), 1, 1],
    uniforms: 'size : i32,',
    code: /* wgsl */ `
const WIDTH : i32 = ${width};
const STRIDE : i32 = ${stride};
fn main(index : i32) {
  if (index < uniforms.size) {
    let row = index / WIDTH;
    result[index] = packed[row * STRIDE + index - row * WIDTH];
  }
}
`,
  };
}

export function sizeUniform(shape: readonly number[]): UniformValues {
  return intUniforms(shape.reduce((a, b) => a * b, 1));
}
