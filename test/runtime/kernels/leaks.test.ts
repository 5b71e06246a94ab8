/**
 * Training with graphc's kernels must not leak: after warm-up, 200 training
 * steps leave tensor counts, engine bytes and buffers, backend entries and
 * the wasm heap's size exactly where they were (views, cached transposes and
 * the fused kernels' scratch memory all freed), on tiny sizes so it is fast.
 */
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../../../src/runtime/backends.js';
import { DataSet, IMAGE_SIZE, NUM_CLASSES } from '../../../src/runtime/data/dataset.js';
import { RandomStream } from '../../../src/runtime/random.js';
import { TrainingSession } from '../../../src/runtime/session.js';
import { tf } from '../../../src/runtime/tf.js';
import { importVariant } from '../../helpers/modules.js';

/** A small random data set (MNIST is not needed to exercise memory). */
function syntheticData(count: number): DataSet {
  const random = new RandomStream(5);
  const images = Float32Array.from({ length: count * IMAGE_SIZE }, () => random.nextFloat());
  const labels = new Float32Array(count * NUM_CLASSES);
  for (let i = 0; i < count; i++) labels[i * NUM_CLASSES + random.nextInt(NUM_CLASSES)] = 1;
  return new DataSet(images, labels, random);
}

function usage(): Record<string, number> {
  const memory = tf.memory();
  const backend = tf.backend() as tf.KernelBackend & { wasm?: { HEAPU8: Uint8Array } };
  return {
    tensors: memory.numTensors,
    bytes: memory.numBytes,
    buffers: memory.numDataBuffers,
    backendEntries: backend.numDataIds(),
    wasmHeap: backend.wasm?.HEAPU8.length ?? 0,
  };
}

const CASES: Array<[BackendName, string]> = [
  ['wasm', 'block_gru'],
  ['wasm', 'gru'],
  ['cpu', 'block_gru'],
];

describe('memory across 200 training steps', () => {
  for (const [backend, cell] of CASES) {
    it(`${cell} on ${backend}: steady`, async () => {
      await initBackend(backend);
      // 4 time steps of 196 pixels: the same graph with a seventh of the kernels per step.
      const model = await importVariant('graphs/bigru.yaml', ['hidden_size=4', 'layer_num=2', 'timestep_size=4', 'input_size=196', `cell_type=${cell}`]);
      const data = syntheticData(64);
      const session = new TrainingSession(model, 1);
      const step = (): void => session.trainStep(data.nextBatch(8)).dispose();
      for (let i = 0; i < 20; i++) step();
      const before = usage();
      for (let i = 0; i < 200; i++) step();
      expect(usage()).toEqual(before);
      session.dispose();
    });
  }
});
