/**
 * GraphcGruSequence on webgpu: the whole recurrence in one persistent program.
 * One workgroup per batch row loops over the T steps inside the shader; its
 * invocations each own a few hidden units and meet at workgroup barriers
 * where a step needs every unit of h (and of r⊙h). The program writes one
 * packed [B, T, 4H] tensor, per row h | r | u | c, which is the `saved`
 * output; a copy of its h columns is the `h` output.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { GRU_SEQUENCE } from '../gru_sequence.js';
import { tf } from '../../tf.js';
import {
  ACTIVATIONS_WGSL,
  checkWorkgroupStorage,
  leadingColumnsSpec,
  runProgram,
  sizeUniform,
  timeOrderWgsl,
  unitLanes,
  type ProgramSpec,
} from './program.js';

/** Values per (b, t) row of `saved`: h, r, u, c. */
export const GRU_SAVED_WIDTH = 4;

export interface GruDims {
  readonly batch: number;
  readonly steps: number;
  readonly inputSize: number;
  readonly units: number;
  readonly reverse: boolean;
}

export function gruDimsOf(x: tf.TensorInfo, candidateBias: tf.TensorInfo, reverse: boolean): GruDims {
  const [batch, steps, inputSize] = x.shape as [number, number, number];
  return { batch, steps, inputSize, units: candidateBias.shape[0]!, reverse };
}

export function gruKey(name: string, d: GruDims): string {
  return `${name}_i${d.inputSize}_h${d.units}_${d.reverse ? 'reverse' : 'forward'}`;
}

function forwardSpec(d: GruDims): ProgramSpec {
  const { lanes, perLane } = unitLanes(d.units);
  const h = d.units;
  return {
    key: gruKey('gru_sequence', d),
    inputs: ['x', 'gatesKernel', 'gatesBias', 'candidateKernel', 'candidateBias'],
    outputShape: [d.batch, d.steps, GRU_SAVED_WIDTH * h],
    workgroupSize: [lanes, 1, 1],
    dispatch: [d.batch, 1, 1],
    code: /* wgsl */ `
const INPUT : i32 = ${d.inputSize};
const UNITS : i32 = ${h};
const LANES : i32 = ${lanes};
const PER_LANE : i32 = ${perLane};
${ACTIVATIONS_WGSL}
${timeOrderWgsl(d.reverse)}
var<workgroup> hPrev : array<f32, ${h}>;
var<workgroup> rhPrev : array<f32, ${h}>;
fn main(index : i32) {
  let b = i32(workgroupId.x);
  let lane = i32(localId.x);
  let steps = uniforms.xShape.y;
  for (var q = 0; q < PER_LANE; q++) {
    let j = lane + q * LANES;
    if (j < UNITS) { hPrev[j] = 0.0; }
  }
  workgroupBarrier();
  var r : array<f32, ${perLane}>;
  var u : array<f32, ${perLane}>;
  var c : array<f32, ${perLane}>;
  var hNew : array<f32, ${perLane}>;
  for (var s = 0; s < steps; s++) {
    let t = timeAt(s, steps);
    let xRow = (b * steps + t) * INPUT;
    // Gates: [r | u] = sigmoid([x, h] · gatesKernel + gatesBias); then r ⊙ h for the candidate.
    for (var q = 0; q < PER_LANE; q++) {
      let j = lane + q * LANES;
      if (j < UNITS) {
        var ar = gatesBias[j];
        var au = gatesBias[UNITS + j];
        for (var k = 0; k < INPUT; k++) {
          let xv = x[xRow + k];
          ar += xv * gatesKernel[k * 2 * UNITS + j];
          au += xv * gatesKernel[k * 2 * UNITS + UNITS + j];
        }
        for (var k = 0; k < UNITS; k++) {
          let hv = hPrev[k];
          ar += hv * gatesKernel[(INPUT + k) * 2 * UNITS + j];
          au += hv * gatesKernel[(INPUT + k) * 2 * UNITS + UNITS + j];
        }
        r[q] = sigmoidOf(ar);
        u[q] = sigmoidOf(au);
        rhPrev[j] = r[q] * hPrev[j];
      }
    }
    workgroupBarrier();
    // Candidate c = tanh([x, r ⊙ h] · candidateKernel + candidateBias); h' = c + u (h − c).
    for (var q = 0; q < PER_LANE; q++) {
      let j = lane + q * LANES;
      if (j < UNITS) {
        var ac = candidateBias[j];
        for (var k = 0; k < INPUT; k++) { ac += x[xRow + k] * candidateKernel[k * UNITS + j]; }
        for (var k = 0; k < UNITS; k++) { ac += rhPrev[k] * candidateKernel[(INPUT + k) * UNITS + j]; }
        c[q] = tanhOf(ac);
        hNew[q] = c[q] + u[q] * (hPrev[j] - c[q]);
      }
    }
    workgroupBarrier();
    let out = (b * steps + t) * ${GRU_SAVED_WIDTH} * UNITS;
    for (var q = 0; q < PER_LANE; q++) {
      let j = lane + q * LANES;
      if (j < UNITS) {
        hPrev[j] = hNew[q];
        result[out + j] = hNew[q];
        result[out + UNITS + j] = r[q];
        result[out + 2 * UNITS + j] = u[q];
        result[out + 3 * UNITS + j] = c[q];
      }
    }
    workgroupBarrier();
  }
}
`,
  };
}

tf.registerKernel({
  kernelName: GRU_SEQUENCE,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const gpu = backend as WebGPUBackend;
    const { x, gatesKernel, gatesBias, candidateKernel, candidateBias } = inputs as Record<string, tf.TensorInfo>;
    const d = gruDimsOf(x!, candidateBias!, (attrs as { reverse: boolean }).reverse);
    checkWorkgroupStorage(gpu, GRU_SEQUENCE, 2 * d.units, `hidden size ${d.units}`);
    const saved = runProgram(gpu, forwardSpec(d), [x!, gatesKernel!, gatesBias!, candidateKernel!, candidateBias!]);
    const hShape = [d.batch, d.steps, d.units];
    const h = runProgram(gpu, leadingColumnsSpec('gru_h', hShape, d.units, GRU_SAVED_WIDTH * d.units), [saved], sizeUniform(hShape));
    return [h, saved];
  },
});
