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
import { gruResetAfterForward } from './gru_reset_after.js';
import { checkSharedUnits, runForward, sequenceDims, type PersistentProgram, type SequenceDims } from './sequence.js';

/** Values per unit in each (b, t) row of `saved`: h, r, u, c. */
export const GRU_SAVED_WIDTH = 4;

export function gruDimsOf(x: tf.TensorInfo, candidateBias: tf.TensorInfo, reverse: boolean): SequenceDims {
  return sequenceDims(x, candidateBias.shape[0]!, reverse);
}

function forwardProgram(d: SequenceDims): PersistentProgram {
  const h = d.units;
  return {
    name: 'gru_sequence',
    dims: d,
    inputs: ['x', 'gatesKernel', 'gatesBias', 'candidateKernel', 'candidateBias'],
    width: GRU_SAVED_WIDTH,
    code: (perLane) => /* wgsl */ `
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

export const gruSequenceConfig: tf.KernelConfig = {
  kernelName: GRU_SEQUENCE,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const gpu = backend as WebGPUBackend;
    if (inputs['candidateRecurrentBias'] !== undefined) return gruResetAfterForward(gpu, inputs as Record<string, tf.TensorInfo>, (attrs as { reverse: boolean }).reverse);
    const { x, gatesKernel, gatesBias, candidateKernel, candidateBias } = inputs as Record<string, tf.TensorInfo>;
    const d = gruDimsOf(x!, candidateBias!, (attrs as { reverse: boolean }).reverse);
    checkSharedUnits(gpu, GRU_SEQUENCE, d, 2 * d.units);
    return runForward(gpu, forwardProgram(d), [x!, gatesKernel!, gatesBias!, candidateKernel!, candidateBias!]);
  },
};
