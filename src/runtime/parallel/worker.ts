/**
 * A training worker thread: its own tfjs backend and copy of the model. For
 * each step it loads the main thread's weights, computes the gradients of its
 * rows of the batch (scaled by their share of the batch) into its region of
 * the shared gradient buffer, and replies with its metrics.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../backends.js';
import type { AnyCompiledModel } from '../model.js';
import { labelWidth } from '../data/dataset.js';
import { TrainingSession } from '../session.js';
import { tf } from '../tf.js';
import type { StepRequest, WorkerInit, WorkerReply } from './protocol.js';
import { copyOut } from './transfer.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const reply = (message: WorkerReply): void => port.postMessage(message);

try {
  const session = await start();
  port.on('message', (request: StepRequest) => {
    step(session, request).then(reply, (error: unknown) => reply({ type: 'failed', message: describe(error) }));
  });
  reply({ type: 'ready' });
} catch (error) {
  reply({ type: 'failed', message: describe(error) });
}

async function start(): Promise<TrainingSession<unknown, unknown, Record<string, tf.Tensor>>> {
  tf.env().set('PROD', true);
  await initBackend(init.backend);
  const { model } = (await import(init.moduleUrl)) as { model: AnyCompiledModel };
  const session = new TrainingSession(model, init.seed, init.classWeights);
  const sizes = session.trainable.map((v) => v.size);
  if (sizes.length !== init.sizes.length || sizes.some((s, i) => s !== init.sizes[i])) {
    throw new Error(`the module's variables (${sizes.join(', ')}) are not the main thread's (${init.sizes.join(', ')})`);
  }
  return session;
}

/** Reads are asynchronous, which every backend supports (webgpu cannot read synchronously in Node). */
async function step(session: TrainingSession<unknown, unknown, Record<string, tf.Tensor>>, request: StepRequest): Promise<WorkerReply> {
  const total = init.sizes.reduce((a, b) => a + b, 0);
  const weights = new Float32Array(init.weights);
  const gradients = new Float32Array(init.gradients, init.index * total * 4, total);
  let offset = 0;
  session.trainable.forEach((v) => {
    tf.tidy(() => v.assign(tf.tensor(weights.subarray(offset, offset + v.size), v.shape, 'float32')));
    offset += v.size;
  });
  offset = 0;
  for (const { variable } of session.state) {
    tf.tidy(() => variable.assign(tf.tensor(request.state.subarray(offset, offset + variable.size), variable.shape, 'float32')));
    offset += variable.size;
  }
  session.context.random.setState(request.dropout);
  const { features, labels, labelIds, lengths, size, shape } = request;
  const batch = { features, images: features, labels, labelIds, ...(lengths ? { lengths } : {}), size, shape };
  const width = shape.features.reduce((a, b) => a * b, 1);
  if (features.length !== size * width || labels.length !== size * labelWidth(shape) || labelIds.length !== size) throw new Error('malformed batch');
  const { grads, metrics, statistics } = session.gradients(batch, request.exampleOffset, request.whole);
  try {
    offset = 0;
    const present: boolean[] = [];
    for (const [i, g] of grads.entries()) {
      if (g) await copyOut(g, gradients, offset, request.share);
      present.push(g !== undefined);
      offset += init.sizes[i]!;
    }
    const values = await session.statisticsValues(statistics);
    return { type: 'done', metrics: Array.from(await metrics.data()), present, dropout: session.context.random.getState(), statistics: values };
  } finally {
    tf.dispose([metrics, ...grads.filter((g) => g !== undefined), ...statistics.flatMap((s) => [s.mean, s.variance])]);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
