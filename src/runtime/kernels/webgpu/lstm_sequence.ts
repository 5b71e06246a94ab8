/**
 * GraphcLstmSequence on webgpu (TF BasicLSTMCell math, gates i, j, f, o):
 *   c' = c ⊙ σ(f + forget_bias) + σ(i) ⊙ tanh(j),   h' = tanh(c') ⊙ σ(o)
 * One persistent program per layer and direction, as for the GRU
 * (gru_sequence.ts): a workgroup per batch row loops over time, each
 * invocation keeping its units' c in registers; h is shared through
 * workgroup memory, one barrier pair per step. The packed [B, T, 6H] output,
 * per row h | c | σ(i) | tanh(j) | σ(f+forget_bias) | σ(o), is `saved`; its h
 * columns are copied out as `h`.
 *
 * The kernel contract (inputs, attrs, outputs) is kernels/lstm_sequence.ts's,
 * which also runs the pair under autodiff.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../../tf.js';
import { LSTM_SEQUENCE } from '../lstm_sequence.js';
import { checkSharedUnits, runForward, sequenceDims, type PersistentProgram, type SequenceDims } from './sequence.js';

/** Values per unit in each (b, t) row of `saved`. */
export const LSTM_SAVED_WIDTH = 6;

export interface LstmAttrs {
  readonly reverse: boolean;
  readonly forgetBias: number;
}

export function lstmDimsOf(x: tf.TensorInfo, bias: tf.TensorInfo, reverse: boolean): SequenceDims {
  return sequenceDims(x, bias.shape[0]! / 4, reverse);
}

function forwardProgram(d: SequenceDims): PersistentProgram {
  const h = d.units;
  return {
    name: 'lstm_sequence',
    dims: d,
    inputs: ['x', 'kernel', 'bias'],
    width: LSTM_SAVED_WIDTH,
    uniforms: 'forgetBias : f32,',
    code: (perLane) => /* wgsl */ `
const GATES : i32 = ${4 * h};
const SAVED : i32 = ${LSTM_SAVED_WIDTH * h};
var<workgroup> hPrev : array<f32, ${h}>;
fn main(index : i32) {
  let b = i32(workgroupId.x);
  let lane = i32(localId.x);
  let steps = uniforms.xShape.y;
  let forgetBias = uniforms.forgetBias;
  for (var q = 0; q < PER_LANE; q++) {
    let j = lane + q * LANES;
    if (j < UNITS) { hPrev[j] = 0.0; }
  }
  workgroupBarrier();
  var c : array<f32, ${perLane}>;
  var hNew : array<f32, ${perLane}>;
  var gates : array<vec4<f32>, ${perLane}>;
  for (var s = 0; s < steps; s++) {
    let t = timeAt(s, steps);
    let xRow = (b * steps + t) * INPUT;
    for (var q = 0; q < PER_LANE; q++) {
      let j = lane + q * LANES;
      if (j < UNITS) {
        // Pre-activations of i, j, f, o for unit j: [x, h] · kernel + bias.
        var a = vec4<f32>(bias[j], bias[UNITS + j], bias[2 * UNITS + j], bias[3 * UNITS + j]);
        for (var k = 0; k < INPUT; k++) {
          let w = k * GATES + j;
          a += x[xRow + k] * vec4<f32>(kernel[w], kernel[w + UNITS], kernel[w + 2 * UNITS], kernel[w + 3 * UNITS]);
        }
        for (var k = 0; k < UNITS; k++) {
          let w = (INPUT + k) * GATES + j;
          a += hPrev[k] * vec4<f32>(kernel[w], kernel[w + UNITS], kernel[w + 2 * UNITS], kernel[w + 3 * UNITS]);
        }
        let g = vec4<f32>(sigmoidOf(a.x), tanhOf(a.y), sigmoidOf(a.z + forgetBias), sigmoidOf(a.w));
        gates[q] = g;
        c[q] = c[q] * g.z + g.x * g.y;
        hNew[q] = tanhOf(c[q]) * g.w;
      }
    }
    workgroupBarrier();
    let out = (b * steps + t) * SAVED;
    for (var q = 0; q < PER_LANE; q++) {
      let j = lane + q * LANES;
      if (j < UNITS) {
        hPrev[j] = hNew[q];
        result[out + j] = hNew[q];
        result[out + UNITS + j] = c[q];
        result[out + 2 * UNITS + j] = gates[q].x;
        result[out + 3 * UNITS + j] = gates[q].y;
        result[out + 4 * UNITS + j] = gates[q].z;
        result[out + 5 * UNITS + j] = gates[q].w;
      }
    }
    workgroupBarrier();
  }
}
`,
  };
}

export const lstmSequenceConfig: tf.KernelConfig = {
  kernelName: LSTM_SEQUENCE,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const gpu = backend as WebGPUBackend;
    const { x, kernel, bias } = inputs as Record<string, tf.TensorInfo>;
    const { reverse, forgetBias } = attrs as unknown as LstmAttrs;
    const d = lstmDimsOf(x!, bias!, reverse);
    checkSharedUnits(gpu, LSTM_SEQUENCE, d, d.units);
    return runForward(gpu, forwardProgram(d), [x!, kernel!, bias!], [{ type: 'float32', data: [forgetBias] }]);
  },
};
