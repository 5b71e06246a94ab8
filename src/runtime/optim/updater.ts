/**
 * One training update as the spec's `train` asks: the step's learning rate
 * from the schedule (or the plateau's, which the trainer sets), the gradients
 * clipped, weight decay added, then the optimizer's update. The
 * session keeps one; the optimizer tests drive it directly.
 */
import type { Schedule } from '../model.js';
import { tf } from '../tf.js';
import { clipGradients } from './clip.js';
import { createOptimizer } from './create.js';
import type { Optimizer } from './optimizer.js';
import { learningRateAt } from './schedules.js';
import { decayGradients, decays } from './weight_decay.js';

export type UpdateConfig = Pick<Schedule<unknown>, 'optimizer' | 'learningRateSchedule' | 'clip' | 'weightDecay'>;

export class Updater {
  readonly optimizer: Optimizer;
  /** The learning rate of the last update. */
  learningRate: number;
  /** The global norm of the last update's gradients before clipping (kept; only when clipping). */
  private norm: tf.Scalar | undefined;

  /** Which variables weight decay applies to (by their names); none without weight decay. */
  private readonly decayed: readonly boolean[];

  constructor(
    private readonly config: UpdateConfig,
    private readonly variables: readonly tf.Variable[],
    /** The variables' graph names, which weight decay's patterns match. */
    names: readonly string[] = [],
    /** The rate reduce_on_plateau has reached (the trainer's); absent: the schedule's. */
    public plateauRate?: number,
  ) {
    this.optimizer = createOptimizer(config.optimizer, variables);
    this.learningRate = config.optimizer.learningRate;
    const decay = config.weightDecay;
    this.decayed = variables.map((_, i) => decay !== undefined && names[i] !== undefined && decays(decay, names[i]!));
  }

  /** One update after `completed` steps; grads[i] belongs to the i-th variable (not disposed). */
  apply(grads: readonly tf.Tensor[], completed: number): void {
    this.learningRate = this.plateauRate ?? learningRateAt(this.config.optimizer.learningRate, this.config.learningRateSchedule, completed);
    // Without a schedule the optimizer keeps its own rate, exactly as before schedules existed.
    const rate = this.config.learningRateSchedule ? this.learningRate : undefined;
    const clipped = this.config.clip ? clipGradients(grads, this.config.clip) : undefined;
    const decay = this.config.weightDecay;
    const base = clipped?.grads ?? grads;
    const decayed = decay ? decayGradients(base, this.variables, this.decayed, decay.rate) : base;
    try {
      this.optimizer.applyGradients(decayed, rate);
    } finally {
      tf.dispose(decayed.filter((g, i) => g !== base[i]));
      if (clipped) {
        tf.dispose(clipped.grads);
        this.norm?.dispose();
        this.norm = clipped.norm;
      }
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
