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
import { fail } from '../../../common/diagnostics/diagnostic.js';
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

/** Fails with GC742 unless `floats` workgroup floats fit the device. */
export function checkWorkgroupStorage(backend: WebGPUBackend, kernel: string, floats: number, hiddenSize: number): void {
  const limit = backend.device.limits.maxComputeWorkgroupStorageSize;
  if (floats * 4 > limit) fail('GC742', { kernel, hiddenSize, bytes: floats * 4, limit });
}

/** Releases an intermediate tensor a kernel made and does not return. */
export function disposeIntermediate(backend: WebGPUBackend, info: tf.TensorInfo): void {
  backend.disposeData(info.dataId);
}

/**
 * An elementwise program over a flat output: 64 invocations per workgroup,
 * `uniforms.size` the output's element count; `body` runs for each index
 * below it. `uniforms` adds fields after `size`; `helpers` is WGSL placed
 * before main.
 */
export function flatSpec(p: { key: string; inputs: readonly string[]; outputShape: readonly number[]; uniforms?: string; helpers?: string; body: string }): ProgramSpec {
  return {
    key: p.key,
    inputs: p.inputs,
    outputShape: p.outputShape,
    workgroupSize: [64, 1, 1],
    dispatch: [Math.ceil(sizeOf(p.outputShape) / 64), 1, 1],
    uniforms: `size : i32, ${p.uniforms ?? ''}`,
    code: /* wgsl */ `
${p.helpers ?? ''}
fn main(index : i32) {
  if (index < uniforms.size) {
${p.body}
  }
}
`,
  };
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The `size` uniform of a flatSpec program, then its own values. */
export function flatUniforms(outputShape: readonly number[], ...rest: UniformValues): UniformValues {
  return [...intUniforms(sizeOf(outputShape)), ...rest];
}
