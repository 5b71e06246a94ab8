/**
 * What the whole-sequence RNN kernels (GRU, LSTM; forward and BPTT) share:
 * their sizes and pipeline keys, the persistent per-row program they are
 * built on, the WGSL for time order and activations, and the forward's
 * packed output split into `h` and `saved`.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { tf } from '../../tf.js';
import { checkWorkgroupStorage, flatSpec, flatUniforms, runProgram, type ProgramSpec, type UniformValues } from './program.js';

export interface SequenceDims {
  readonly batch: number;
  readonly steps: number;
  readonly inputSize: number;
  readonly units: number;
  readonly reverse: boolean;
}

export function sequenceDims(x: tf.TensorInfo, units: number, reverse: boolean): SequenceDims {
  const [batch, steps, inputSize] = x.shape as [number, number, number];
  return { batch, steps, inputSize, units, reverse };
}

/** A pipeline key naming every size a sequence program may bake in. */
export function sequenceKey(name: string, d: SequenceDims): string {
  return `${name}_i${d.inputSize}_h${d.units}_t${d.steps}_${d.reverse ? 'reverse' : 'forward'}`;
}

/** Invocations per workgroup every WebGPU device supports. */
const MAX_WORKGROUP = 256;

/**
 * How a per-row program spreads `units` hidden units over one workgroup:
 * `lanes` invocations (a power of two up to 256), each owning units lane,
 * lane + lanes, … (`perLane` of them).
 */
function unitLanes(units: number): { lanes: number; perLane: number } {
  let lanes = 1;
  while (lanes < units && lanes < MAX_WORKGROUP) lanes *= 2;
  return { lanes, perLane: Math.ceil(units / lanes) };
}

export interface PersistentProgram {
  readonly name: string;
  readonly dims: SequenceDims;
  readonly inputs: readonly string[];
  /** Values per (b, t) row of the output [B, T, width·H]. */
  readonly width: number;
  readonly uniforms?: string;
  /**
   * Workgroup variables and `fn main`, which sees INPUT, UNITS, LANES,
   * PER_LANE (= `perLane`, for private array sizes), the activations and the
   * time order; a unit loop is
   *   for (var q = 0; q < PER_LANE; q++) { let j = lane + q * LANES; if (j < UNITS) { … } }
   */
  readonly code: (perLane: number) => string;
}

/**
 * A persistent program: one workgroup per batch row (b = workgroupId.x,
 * lane = localId.x) that loops over the time steps itself, its lanes meeting
 * at workgroup barriers.
 */
export function persistentSpec(p: PersistentProgram): ProgramSpec {
  const { lanes, perLane } = unitLanes(p.dims.units);
  return {
    key: sequenceKey(p.name, p.dims),
    inputs: p.inputs,
    outputShape: [p.dims.batch, p.dims.steps, p.width * p.dims.units],
    workgroupSize: [lanes, 1, 1],
    dispatch: [p.dims.batch, 1, 1],
    ...(p.uniforms !== undefined ? { uniforms: p.uniforms } : {}),
    code: /* wgsl */ `
const INPUT : i32 = ${p.dims.inputSize};
const UNITS : i32 = ${p.dims.units};
const LANES : i32 = ${lanes};
const PER_LANE : i32 = ${perLane};
${ACTIVATIONS_WGSL}
${timeOrderWgsl(p.dims.reverse)}
${p.code(perLane)}
`,
  };
}

/** Fails with GC742 unless a program of `floats` shared floats per workgroup fits the device. */
export function checkSharedUnits(backend: WebGPUBackend, kernel: string, d: SequenceDims, floats: number): void {
  checkWorkgroupStorage(backend, kernel, floats, d.units);
}

/**
 * Runs a forward persistent program, whose packed output (h first in each
 * row) is the kernel's `saved`, and copies out its h columns: [h, saved].
 */
export function runForward(backend: WebGPUBackend, spec: PersistentProgram, inputs: readonly tf.TensorInfo[], uniforms?: UniformValues): tf.TensorInfo[] {
  const d = spec.dims;
  const saved = runProgram(backend, persistentSpec(spec), inputs, uniforms);
  const hShape = [d.batch, d.steps, d.units];
  const h = runProgram(
    backend,
    flatSpec({
      key: `${spec.name}_h_${d.units}_${spec.width}`,
      inputs: ['packed'],
      outputShape: hShape,
      body: /* wgsl */ `
    let row = index / ${d.units};
    result[index] = packed[row * ${spec.width * d.units} + index - row * ${d.units}];`,
    }),
    [saved],
    flatUniforms(hShape),
  );
  return [h, saved];
}

/** Activations that neither overflow nor lose precision at large |v| (tfjs's webgpu TANH is written the same way). */
const ACTIVATIONS_WGSL = /* wgsl */ `
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
function timeOrderWgsl(reverse: boolean): string {
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
 * For programs reading a forward's `saved` tensor (row m = b·T + t, `width`·H
 * values each): SAVED, STEPS and previousSaved(m, col), value col of the row
 * the step at m started from (0 at the start of the sequence); with the time
 * order, which persistent programs already have.
 */
export function previousSavedWgsl(d: SequenceDims, width: number, withTimeOrder = true): string {
  return /* wgsl */ `
const STEPS : i32 = ${d.steps};
const SAVED : i32 = ${width * d.units};
${withTimeOrder ? timeOrderWgsl(d.reverse) : ''}
fn previousSaved(m : i32, col : i32) -> f32 {
  let t = m % STEPS;
  if (!hasPrev(t, STEPS)) { return 0.0; }
  return saved[(m - t + prevTime(t)) * SAVED + col];
}
`;
}
