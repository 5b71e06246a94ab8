/**
 * One training update as the spec's `train` asks: the step's learning rate
 * from the schedule, the gradients clipped, then the optimizer's update. The
 * session keeps one; the optimizer tests drive it directly.
 */
import type { Schedule } from '../model.js';
import { tf } from '../tf.js';
import { clipGradients } from './clip.js';
import { createOptimizer } from './create.js';
import type { Optimizer } from './optimizer.js';
import { learningRateAt } from './schedules.js';

export type UpdateConfig = Pick<Schedule<unknown>, 'optimizer' | 'learningRateSchedule' | 'clip'>;

export class Updater {
  readonly optimizer: Optimizer;
  /** The learning rate of the last update. */
  learningRate: number;
  /** The global norm of the last update's gradients before clipping (kept; only when clipping). */
  private norm: tf.Scalar | undefined;

  constructor(
    private readonly config: UpdateConfig,
    variables: readonly tf.Variable[],
  ) {
    this.optimizer = createOptimizer(config.optimizer, variables);
    this.learningRate = config.optimizer.learningRate;
  }

  /** One update after `completed` steps; grads[i] belongs to the i-th variable (not disposed). */
  apply(grads: readonly tf.Tensor[], completed: number): void {
    this.learningRate = learningRateAt(this.config.optimizer.learningRate, this.config.learningRateSchedule, completed);
    // Without a schedule the optimizer keeps its own rate, exactly as before schedules existed.
    const rate = this.config.learningRateSchedule ? this.learningRate : undefined;
    if (!this.config.clip) {
      this.optimizer.applyGradients(grads, rate);
      return;
    }
    const clipped = clipGradients(grads, this.config.clip);
    try {
      this.optimizer.applyGradients(clipped.grads, rate);
    } finally {
      tf.dispose(clipped.grads);
      this.norm?.dispose();
      this.norm = clipped.norm;
    }
  }

  /** What the training rows of metrics.jsonl add: `lr` with a schedule, `grad_norm` with clipping. */
  async readStats(): Promise<Record<string, number>> {
    return {
      ...(this.config.learningRateSchedule ? { lr: this.learningRate } : {}),
      ...(this.norm ? { grad_norm: (await this.norm.data())[0]! } : {}),
    };
  }

  dispose(): void {
    this.norm?.dispose();
    this.norm = undefined;
    this.optimizer.dispose();
  }
}
