/**
 * The fused attention kernels free everything they allocate: after warm-up,
 * 40 training steps of a tiny transformer (graphs/transformer.yaml, two
 * blocks, with attention dropout) on wasm leave tensor counts, engine bytes
 * and buffers, backend entries and the wasm heap's size where they were.
 */
import '@tensorflow/tfjs-backend-wasm';
import { expect, it, vi } from 'vitest';
import { initBackend } from '../../../../src/runtime/backends.js';
import { DataSet, IMAGE_SIZE, NUM_CLASSES } from '../../../../src/runtime/data/dataset.js';
import { ATTENTION, ATTENTION_GRAD } from '../../../../src/runtime/kernels/attention.js';
import { RandomStream } from '../../../../src/runtime/random.js';
import { TrainingSession } from '../../../../src/runtime/session.js';
import { tf } from '../../../../src/runtime/tf.js';
import { importVariant } from '../../../helpers/modules.js';

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
  return { tensors: memory.numTensors, bytes: memory.numBytes, buffers: memory.numDataBuffers, backendEntries: backend.numDataIds(), wasmHeap: backend.wasm?.HEAPU8.length ?? 0 };
}

it('a tiny transformer on wasm: steady memory across 40 training steps through the fused attention kernels', async () => {
  await initBackend('wasm');
  const model = await importVariant('graphs/transformer.yaml', ['d_model=8', 'heads=2', 'ff_units=8']);
  const data = syntheticData(64);
  const session = new TrainingSession(model, 1);
  const [forward, backward] = [ATTENTION, ATTENTION_GRAD].map((name) => vi.spyOn(tf.getKernel(name, 'wasm')!, 'kernelFunc'));
  try {
    const step = (): void => session.trainStep(data.nextBatch(8)).dispose();
    for (let i = 0; i < 5; i++) step();
    // Two attention blocks per step, each forward and backward.
    expect([forward!.mock.calls.length, backward!.mock.calls.length]).toEqual([10, 10]);
    const before = usage();
    for (let i = 0; i < 40; i++) step();
    expect(usage()).toEqual(before);
  } finally {
    forward!.mockRestore();
    backward!.mockRestore();
    session.dispose();
  }
});
