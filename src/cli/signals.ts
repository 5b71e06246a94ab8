/**
 * Ctrl-C and SIGTERM for the commands that run for long (run, sweep, worker),
 * in one place: the first signal asks for a clean stop (after the current
 * step, with a checkpoint), the second for an immediate one. What "immediate"
 * means is the command's: `graphc run` exits at once, a sweep abandons its
 * trials, a worker abandons them and then exits.
 */

/** What a second signal does. */
export type SecondSignal = 'exit' | 'abandon' | 'abandon-then-exit';

export interface SignalOptions {
  /** The line printed on the first signal (after a new line, so a progress bar is not overwritten). */
  readonly first: (signal: NodeJS.Signals) => string;
  /** The line printed on the second. */
  readonly second: (signal: NodeJS.Signals) => string;
  readonly onSecond: SecondSignal;
}

export interface SignalStop {
  /** Aborted by the first signal. */
  readonly signal: AbortSignal;
  /** Aborted by the second. */
  readonly abandon: AbortSignal;
  /** The first signal received, if any. */
  received(): NodeJS.Signals | undefined;
  /** 130 after SIGINT, 143 after SIGTERM (130 when none came). */
  exitCode(): number;
  dispose(): void;
}

const CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

export function exitCodeOf(signal: NodeJS.Signals | undefined): number {
  return CODES[signal ?? 'SIGINT'] ?? 130;
}

export function stopOnSignals(options: SignalOptions): SignalStop {
  const stop = new AbortController();
  const abandon = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    if (received) {
      process.stderr.write(`\n${options.second(signal)}\n`);
      if (options.onSecond === 'exit') process.exit(exitCodeOf(signal));
      abandon.abort();
      // A moment for the abandoned children to receive their signal.
      if (options.onSecond === 'abandon-then-exit') setTimeout(() => process.exit(exitCodeOf(signal)), 200).unref();
      return;
    }
    received = signal;
    process.stderr.write(`\n${options.first(signal)}\n`);
    stop.abort();
    // A process that exits on the second signal gets the default action back, so that the
    // second ends it even while a long synchronous step keeps JavaScript from running.
    // Deferred: a second signal that arrived with the first is still delivered here (and exits above).
    if (options.onSecond === 'exit') setImmediate(dispose);
  };
  const dispose = (): void => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return { signal: stop.signal, abandon: abandon.signal, received: () => received, exitCode: () => exitCodeOf(received), dispose };
}
