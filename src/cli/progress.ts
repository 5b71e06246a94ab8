/**
 * Progress of `graphc run` and `graphc eval`: on a terminal a bar (cli-progress)
 * with the step, the last loss, throughput and ETA; otherwise (a log file, CI)
 * a plain line every few seconds. It drives only stderr, through the trainer's
 * hooks; the evaluation lines still go to stdout, each printed in full.
 */
import { SingleBar } from 'cli-progress';
import type { RunOptions, RunPlan } from '../runtime/trainer.js';

export type ProgressMode = 'bar' | 'lines' | 'off';

/** The hooks of RunOptions that a progress display takes over. */
export type ProgressHooks = Required<Pick<RunOptions, 'print' | 'status' | 'onStart' | 'onStep' | 'onEvalBatch'>>;

export interface ProgressOptions {
  readonly mode: ProgressMode;
  /** Where the bar or the progress lines go (default: stderr). */
  readonly stream?: NodeJS.WritableStream;
  /** Where evaluation lines go (default: stdout). */
  readonly print?: (line: string) => void;
  /** Seconds between plain progress lines (default 10). */
  readonly intervalSeconds?: number;
  /** The clock, in seconds (tests). */
  readonly now?: () => number;
}

/** A bar on a terminal, lines elsewhere; none when not wanted. */
export function progressMode(wanted: boolean, stream: { isTTY?: boolean } = process.stderr): ProgressMode {
  if (!wanted) return 'off';
  return stream.isTTY === true && process.env['TERM'] !== 'dumb' ? 'bar' : 'lines';
}

/** "42s", "5m 12s", "1h 03m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Steps per second over a window of recent steps; an evaluation between two steps restarts the window. */
class StepRate {
  private readonly times: { step: number; time: number }[] = [];
  private previous: number | undefined;

  constructor(private readonly window = 50) {}

  add(step: number, time: number): void {
    this.times.push({ step, time });
    if (this.times.length > this.window) this.times.shift();
  }

  /** Starts a new window (after an evaluation); until it has two steps, the old window's rate stands. */
  restart(): void {
    this.previous = this.perSecond;
    this.times.length = 0;
  }

  /** Steps per second, or undefined before two steps were seen. */
  get perSecond(): number | undefined {
    const first = this.times[0];
    const last = this.times.at(-1);
    if (!first || !last || last.time <= first.time) return this.previous;
    return (last.step - first.step) / (last.time - first.time);
  }
}

export class TrainingProgress {
  private readonly stream: NodeJS.WritableStream;
  private readonly printLine: (line: string) => void;
  private readonly interval: number;
  private readonly now: () => number;
  private plan: RunPlan | undefined;
  private bar: SingleBar | undefined;
  private phase: 'train' | 'eval' | undefined;
  private readonly rate = new StepRate();
  private step = 0;
  private loss: number | undefined;
  private evalStarted = 0;
  private evalDone = 0;
  private evalTotal = 0;
  private lastStepTime = 0;
  private evalBatchSeconds: number | undefined;
  private lastLine = -Infinity;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.printLine = options.print ?? ((line) => process.stdout.write(`${line}\n`));
    this.interval = options.intervalSeconds ?? 10;
    this.now = options.now ?? (() => performance.now() / 1000);
    // Until a step is taken, an evaluation is timed from here (graphc eval).
    this.lastStepTime = this.now();
  }

  hooks(): ProgressHooks {
    return {
      print: (line) => {
        this.stopBar();
        this.printLine(line);
      },
      status: (line) => {
        this.stopBar();
        this.stream.write(`${line}\n`);
      },
      onStart: (plan) => {
        this.plan = plan;
        this.step = plan.firstStep - 1;
        this.lastStepTime = this.now();
        this.rate.add(this.step, this.lastStepTime);
      },
      onStep: (step, train) => this.onStep(step, train),
      onEvalBatch: (done, total) => this.onEvalBatch(done, total),
    };
  }

  /** Clears the bar; call when the run ends or fails. */
  stop(): void {
    this.stopBar();
  }

  /** The progress text of the current phase; the bar shows the count itself, so it omits the step. */
  describe(withStep = true): string {
    const plan = this.plan;
    const eta = this.eta();
    const etaText = eta === undefined ? [] : [`ETA ${formatDuration(eta)}`];
    if (this.phase === 'eval') return [plan ? `evaluating at step ${this.step + 1}` : 'evaluating', ...etaText].join(', ');
    if (!plan) return '';
    const perSecond = this.rate.perSecond;
    const parts = withStep ? [`step ${this.step}/${plan.steps}`] : [];
    if (this.loss !== undefined) parts.push(`loss ${this.loss.toFixed(4)}`);
    if (perSecond !== undefined) parts.push(`${perSecond.toFixed(perSecond < 10 ? 2 : 1)} steps/s (${Math.round(perSecond * plan.batchSize)} examples/s)`);
    return [...parts, ...etaText].join(', ');
  }

  private onStep(step: number, train: Readonly<Record<string, number>> | undefined): void {
    const time = this.now();
    if (this.phase === 'eval') this.rate.restart();
    this.phase = 'train';
    this.step = step;
    const lossMetric = this.plan?.lossMetric;
    const loss = train && lossMetric !== undefined ? train[lossMetric] : undefined;
    if (loss !== undefined) this.loss = loss;
    this.lastStepTime = time;
    // The first step also compiles kernels and warms caches: the rate starts after it, so no early ETA misleads.
    if (step === this.plan?.firstStep) this.rate.restart();
    this.rate.add(step, time);
    this.show(step, this.plan?.steps ?? step, 'steps');
  }

  private onEvalBatch(done: number, total: number): void {
    const time = this.now();
    if (this.phase !== 'eval') {
      this.stopBar();
      this.phase = 'eval';
      // The evaluation began when the training step before it ended: one step after the last onStep.
      const perSecond = this.rate.perSecond;
      this.evalStarted = Math.min(time, this.lastStepTime + (perSecond ? 1 / perSecond : 0));
    }
    this.evalBatchSeconds = (time - this.evalStarted) / done;
    this.evalDone = done;
    this.evalTotal = total;
    this.show(done, total, 'test batches');
  }

  /** Seconds left: remaining training steps at the recent rate, plus the remaining evaluations' batches. */
  private eta(): number | undefined {
    const plan = this.plan;
    const perSecond = this.rate.perSecond;
    // An evaluation on its own (graphc eval): the batches left at the rate so far.
    if (!plan) return this.phase === 'eval' && this.evalBatchSeconds !== undefined ? (this.evalTotal - this.evalDone) * this.evalBatchSeconds : undefined;
    if (perSecond === undefined) return undefined;
    const stepsLeft = plan.steps - this.step;
    const evaluationsLeft = Math.floor(plan.steps / plan.evalEvery) - Math.floor(this.step / plan.evalEvery);
    const evalSeconds = (this.evalBatchSeconds ?? 0) * plan.evalBatches * evaluationsLeft;
    return stepsLeft / perSecond + evalSeconds;
  }

  private show(value: number, total: number, unit: string): void {
    if (this.options.mode === 'off') return;
    const detail = this.describe(this.options.mode === 'lines');
    if (this.options.mode === 'lines') {
      const time = this.now();
      if (time - this.lastLine < this.interval) return;
      this.lastLine = time;
      this.stream.write(`graphc: ${this.phase === 'eval' ? `${detail}: ${value}/${total} ${unit}` : detail}\n`);
      return;
    }
    const label = this.phase === 'eval' ? 'test ' : 'train';
    if (!this.bar) {
      this.bar = new SingleBar({
        stream: this.stream,
        format: `${label} [{bar}] {value}/{total} ${unit} | {detail}`,
        barsize: 30,
        clearOnComplete: true,
        gracefulExit: false,
        hideCursor: false,
        linewrap: false,
      });
      this.bar.start(total, value, { detail });
    } else {
      this.bar.update(value, { detail });
    }
  }

  private stopBar(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
