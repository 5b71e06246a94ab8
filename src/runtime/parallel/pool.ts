/**
 * Data-parallel training steps. With N workers each batch is split into N
 * contiguous parts; each worker thread (its own tfjs backend and copy of the
 * model) computes its part's gradients from the current weights; the main
 * thread adds them up and makes the one optimizer update. Dropout masks are
 * drawn per example (see rnn/dropout.ts) and the dropout stream is handed
 * from step to step, so N workers follow the training curve of one.
 *
 * batch_norm: the main thread owns the moving statistics. Each worker
 * normalises its rows with their own batch statistics (as data-parallel
 * Keras and PyTorch do without a synchronised batch norm: a worker never
 * sees the other rows), and returns them; the main thread combines them into
 * the whole batch's mean and variance and updates the moving averages from
 * those. So the moving averages follow from whole batches, but a model with
 * batch_norm trains on a slightly different curve with N workers than with
 * one (its gradients come from per-part statistics); docs/usage.md says so.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { diagnostic, fail, GraphcError } from '../../common/diagnostics/diagnostic.js';
import type { BackendName } from '../backends.js';
import { labelWidth, type Batch as DataBatch } from '../data/dataset.js';
import { classMassOf, type WholeBatch } from '../losses.js';
import type { TrainingSession } from '../session.js';
import { tf } from '../tf.js';
import { copyOut } from './transfer.js';
import { splitRows, type StepRequest, type WorkerInit, type WorkerReply } from './protocol.js';

/** How a run takes its training steps: in this thread, or split across workers. */
export interface Stepper {
  /** One training step (the session's variables are updated); the batch's metrics, disposed by the caller. */
  trainStep(batch: DataBatch): Promise<tf.Tensor1D>;
  /** Stops the workers, if any. */
  close(): Promise<void>;
}

/** More workers than this rarely pays: every step also copies all weights and gradients once per worker. */
export const MAX_WORKERS = 8;

/** The default worker count: the cores available, at most MAX_WORKERS. */
export function defaultWorkers(): number {
  return Math.min(availableParallelism(), MAX_WORKERS);
}

export interface StepperOptions {
  /** 1 trains in this thread. */
  readonly workers: number;
  readonly backend: BackendName;
  /** The generated module's URL (CompiledModel.url), which workers load. */
  readonly moduleUrl: string | undefined;
}

export async function createStepper<F, V, N>(session: TrainingSession<F, V, N>, options: StepperOptions): Promise<Stepper> {
  const micro = session.model.schedule.microBatches ?? 1;
  if (options.workers <= 1) {
    return { trainStep: async (batch) => (micro > 1 ? accumulatedStep(session, batch, micro) : session.trainStep(batch)), close: async () => {} };
  }
  if (options.moduleUrl === undefined) fail('GC731', { module: session.model.name });
  return WorkerPool.start(session, options.workers, options.backend, options.moduleUrl);
}

/** A batch's class mass and rows, for the shards' class-weighted losses (losses.withinBatch); undefined without classes. */
export function wholeBatchOf(batch: DataBatch): WholeBatch | undefined {
  if (batch.shape.targets || batch.shape.classes <= 0) return undefined;
  return { classMass: classMassOf(batch.labels, batch.size, batch.shape.classes), rows: batch.size };
}

/** Rows [offset, offset + size) of a batch, as a batch of their own. */
export function sliceRows(batch: DataBatch, offset: number, size: number): DataBatch {
  const width = batch.features.length / batch.size;
  const classes = labelWidth(batch.shape);
  const features = batch.features.slice(offset * width, (offset + size) * width);
  return {
    features,
    images: features,
    labels: batch.labels.slice(offset * classes, (offset + size) * classes),
    labelIds: batch.labelIds.slice(offset, offset + size),
    ...(batch.lengths ? { lengths: batch.lengths.slice(offset, offset + size) } : {}),
    size,
    shape: batch.shape,
  };
}

/**
 * Gradient accumulation in this thread: the batch as `micro` micro-batches
 * one after another, each one's gradients scaled by its share of the batch
 * and summed, then one update. Each micro-batch starts from the same
 * dropout state with its offset in the batch, exactly as a worker computes
 * its part, so the update is the whole batch's up to the order of the sums
 * (and, with batch_norm, per-part batch statistics, as with workers).
 */
async function accumulatedStep<F, V, N>(session: TrainingSession<F, V, N>, batch: DataBatch, micro: number): Promise<tf.Tensor1D> {
  const random = session.context.random;
  const dropout = random.getState();
  let sums: Array<tf.Tensor | undefined> | undefined;
  let metrics: tf.Tensor1D | undefined;
  const statistics: Awaited<ReturnType<TrainingSession<F, V, N>['statisticsValues']>>[] = [];
  let after = dropout;
  const whole = wholeBatchOf(batch);
  try {
    for (const { offset, size } of splitRows(batch.size, micro)) {
      random.setState(dropout);
      const part = session.gradients(sliceRows(batch, offset, size), offset, whole);
      after = random.getState();
      const share = size / batch.size;
      try {
        const previous: Array<tf.Tensor | undefined> = sums ?? [];
        sums = part.grads.map((g, i) => (g === undefined ? previous[i] : tf.tidy(() => (previous[i] ? tf.add(previous[i]!, tf.mul(g, share)) : tf.mul(g, share)))));
        tf.dispose(previous.filter((g, i) => g !== undefined && g !== sums![i]));
        const scaled = tf.tidy(() => (metrics ? tf.add(metrics, tf.mul(part.metrics, share)) : tf.mul(part.metrics, share))) as tf.Tensor1D;
        metrics?.dispose();
        metrics = scaled;
        statistics.push(await session.statisticsValues(part.statistics));
      } finally {
        tf.dispose([part.metrics, ...part.grads.filter((g) => g !== undefined), ...part.statistics.flatMap((st) => [st.mean, st.variance])]);
      }
    }
    random.setState(after);
    session.applyGradients(sums!);
    if (statistics[0]!.length > 0) session.applyStatistics(statistics);
    const result = metrics!;
    metrics = undefined;
    return result;
  } finally {
    tf.dispose((sums ?? []).filter((g) => g !== undefined));
    metrics?.dispose();
  }
}

class WorkerPool<F, V, N> implements Stepper {
  private readonly weights: Float32Array;
  private readonly gradients: Float32Array;
  /** The summed gradients, reused every step (a fresh 6.5 MB array per step kept V8's collector busy). */
  private readonly sums: Float32Array;

  static async start<F, V, N>(session: TrainingSession<F, V, N>, count: number, backend: BackendName, moduleUrl: string): Promise<WorkerPool<F, V, N>> {
    const sizes = session.trainable.map((v) => v.size);
    const total = sizes.reduce((a, b) => a + b, 0);
    const weights = new SharedArrayBuffer(total * 4);
    const gradients = new SharedArrayBuffer(count * total * 4);
    const threads = Array.from({ length: count }, (_, index) => new WorkerThread({ moduleUrl, backend, seed: session.seed, index, sizes, weights, gradients, ...(session.context.classWeights ? { classWeights: session.context.classWeights } : {}) }));
    const pool = new WorkerPool(session, threads, weights, gradients);
    try {
      await Promise.all(threads.map((t) => t.ready));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  private constructor(
    private readonly session: TrainingSession<F, V, N>,
    private readonly threads: readonly WorkerThread[],
    weights: SharedArrayBuffer,
    gradients: SharedArrayBuffer,
  ) {
    this.weights = new Float32Array(weights);
    this.gradients = new Float32Array(gradients);
    this.sums = new Float32Array(this.weights.length);
  }

  async trainStep(batch: DataBatch): Promise<tf.Tensor1D> {
    await this.publishWeights();
    const dropout = this.session.context.random.getState();
    const state = await this.stateValues();
    // With gradient accumulation the workers share one micro-batch at a time; the main thread sums over them.
    const micro = this.session.model.schedule.microBatches ?? 1;
    const replies: Array<Extract<WorkerReply, { type: 'done' }>> = [];
    const shares: number[] = [];
    const whole = wholeBatchOf(batch);
    for (const part of splitRows(batch.size, micro)) {
      const shards = splitRows(part.size, this.threads.length).filter((s) => s.size > 0);
      const round = await Promise.all(
        shards.map(({ offset, size }, i) => {
          const rows = sliceRows(batch, part.offset + offset, size);
          return this.threads[i]!.step({
            type: 'step',
            features: rows.features,
            labels: rows.labels,
            labelIds: rows.labelIds,
            ...(rows.lengths ? { lengths: rows.lengths } : {}),
            size,
            shape: batch.shape,
            exampleOffset: part.offset + offset,
            share: size / batch.size,
            ...(whole ? { whole } : {}),
            dropout,
            state,
          });
        }),
      );
      this.addGradients(round.length, replies.length === 0);
      replies.push(...round);
      shares.push(...shards.map((s) => s.size / batch.size));
    }
    this.session.context.random.setState(replies[0]!.dropout);
    const grads = this.summedGradients(replies[0]!.present);
    try {
      this.session.applyGradients(grads);
      this.session.applyStatistics(replies.map((r) => r.statistics));
    } finally {
      tf.dispose(grads.filter((g) => g !== undefined));
    }
    // Every metric is a mean over the batch, so the batch's value is the shares' weighted sum.
    const metrics = replies[0]!.metrics.map((_, m) => replies.reduce((sum, r, i) => sum + r.metrics[m]! * shares[i]!, 0));
    return tf.tensor1d(metrics, 'float32');
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.terminate()));
  }

  /** The session's non-trainable state, concatenated (empty for most models). */
  private async stateValues(): Promise<Float32Array> {
    const values = new Float32Array(this.session.state.reduce((n, s) => n + s.variable.size, 0));
    let offset = 0;
    for (const { variable } of this.session.state) {
      await copyOut(variable, values, offset);
      offset += variable.size;
    }
    return values;
  }

  /** The session's current variables into the shared weights buffer. */
  private async publishWeights(): Promise<void> {
    let offset = 0;
    for (const v of this.session.trainable) {
      await copyOut(v, this.weights, offset);
      offset += v.size;
    }
  }

  /** The workers' regions added into the sums, in worker order (so a run is reproducible); `first` starts the sums afresh. */
  private addGradients(workers: number, first: boolean): void {
    const total = this.sums.length;
    if (first) this.sums.set(this.gradients.subarray(0, total));
    else for (let j = 0; j < total; j++) this.sums[j]! += this.gradients[j]!;
    for (let w = 1; w < workers; w++) {
      const region = w * total;
      for (let j = 0; j < total; j++) this.sums[j]! += this.gradients[region + j]!;
    }
  }

  /** Each variable's summed gradient (undefined where the loss does not reach it). */
  private summedGradients(present: readonly boolean[]): Array<tf.Tensor | undefined> {
    let offset = 0;
    return this.session.trainable.map((v, i) => {
      const start = offset;
      offset += v.size;
      return present[i] ? tf.tensor(this.sums.subarray(start, start + v.size), v.shape, 'float32') : undefined;
    });
  }
}

/** One worker thread and its one outstanding request. */
class WorkerThread {
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly index: number;
  private pending: { resolve: (reply: WorkerReply) => void; reject: (error: unknown) => void } | undefined;
  private failure: Error | undefined;

  constructor(init: WorkerInit) {
    this.index = init.index;
    // Workers' own console output (tfjs's banner) would interleave with the run's; failures come back as messages.
    this.worker = new Worker(new URL('../../../bin/worker.js', import.meta.url), { workerData: init, stdout: true, stderr: true });
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error instanceof Error ? error.message : String(error)));
    this.worker.on('exit', (code) => this.fail(`the thread exited (code ${code})`));
    this.ready = this.next().then(() => undefined);
  }

  async step(request: StepRequest): Promise<Extract<WorkerReply, { type: 'done' }>> {
    const reply = this.next();
    this.worker.postMessage(request, [request.features.buffer, request.labels.buffer, request.labelIds.buffer, ...(request.lengths ? [request.lengths.buffer] : [])] as ArrayBuffer[]);
    const done = await reply;
    if (done.type !== 'done') throw this.fail(`replied '${done.type}' to a step`);
    return done;
  }

  async terminate(): Promise<void> {
    this.failure ??= new Error('the worker was stopped');
    await this.worker.terminate();
  }

  private next(): Promise<WorkerReply> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.pending = { resolve, reject }));
  }

  private settle(reply: WorkerReply): void {
    if (reply.type === 'failed') return void this.fail(reply.message);
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(reply);
  }

  /** Marks the worker failed (the first reason sticks) and rejects what waits on it; returns the error. */
  private fail(reason: string): Error {
    this.failure ??= new GraphcError(diagnostic('GC730', { worker: this.index, reason: reason.split('\n')[0]!.trim() }));
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(this.failure);
    return this.failure;
  }
}
