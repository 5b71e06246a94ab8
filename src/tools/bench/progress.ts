/**
 * Progress of a long bench, on stderr so stdout stays the report (or JSON). On
 * a terminal one line updates in place; elsewhere (CI logs, pipes) a line is
 * written when a phase starts and then at most every 30 seconds.
 */
import type { TimingPhase } from './timing.js';

const LOG_INTERVAL_MS = 30_000;
const REDRAW_INTERVAL_MS = 100;

export class BenchProgress {
  private label = '';
  private lastWrite = 0;
  private lastPhase: TimingPhase | undefined;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  /** A new thing being timed, e.g. "[2/7] graphs/lstm.yaml layer_num=2 (graphc)". */
  start(label: string): void {
    this.label = label;
    this.lastPhase = undefined;
    this.lastWrite = 0;
  }

  update(phase: TimingPhase, done: number, total: number): void {
    const now = performance.now();
    const text = `graphc bench: ${this.label}: ${phase} ${done}/${total}`;
    if (this.stream.isTTY) {
      if (now - this.lastWrite < REDRAW_INTERVAL_MS && done < total) return;
      this.stream.write(`\r\x1b[K${text}`);
    } else {
      const newPhase = phase !== this.lastPhase;
      if (!newPhase && now - this.lastWrite < LOG_INTERVAL_MS) return;
      this.stream.write(`${text}\n`);
    }
    this.lastPhase = phase;
    this.lastWrite = now;
  }

  /** Clears the in-place line (terminals only). */
  done(): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[K');
  }

  /** A callback for timePhases. */
  get callback(): (phase: TimingPhase, done: number, total: number) => void {
    return (phase, done, total) => this.update(phase, done, total);
  }
}
