import { describe, expect, it } from 'vitest';
import { formatDuration, TrainingProgress } from '../../src/cli/progress.js';

/** A stream that records what is written, optionally posing as a terminal. */
function recorder(isTTY: boolean): NodeJS.WritableStream & { text: string; isTTY: boolean; columns: number } {
  const stream = {
    text: '',
    isTTY,
    columns: 200,
    write(chunk: string | Uint8Array): boolean {
      stream.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    },
    // readline's cursorTo/clearLine call these on a TTY stream
    cursorTo: (_x: number, _y?: number, cb?: () => void): boolean => (cb?.(), true),
    clearLine: (_dir: number, cb?: () => void): boolean => (cb?.(), true),
    moveCursor: (_dx: number, _dy: number, cb?: () => void): boolean => (cb?.(), true),
  };
  return stream as unknown as NodeJS.WritableStream & { text: string; isTTY: boolean; columns: number };
}

const plan = { firstStep: 1, steps: 100, batchSize: 50, evalEvery: 50, evalBatches: 10, lossMetric: 'cost' };

describe('progress', () => {
  it('formats durations for people', () => {
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(312)).toBe('5m 12s');
    expect(formatDuration(3780)).toBe('1h 03m');
    expect(formatDuration(Number.NaN)).toBe('?');
  });

  it("leaves the first step (kernel compilation, warm-up) out of the rate and the ETA", () => {
    let clock = 0;
    const progress = new TrainingProgress({ mode: 'off', stream: recorder(false), print: () => {}, intervalSeconds: 10, now: () => clock });
    const hooks = progress.hooks();
    hooks.onStart(plan);
    clock = 30;
    hooks.onStep(1, undefined);
    expect(progress.describe()).toBe('step 1/100');
    for (let step = 2; step <= 21; step++) {
      clock = 30 + (step - 1) * 0.5;
      hooks.onStep(step, undefined);
    }
    expect(progress.describe()).toBe('step 21/100, 2.00 steps/s (100 examples/s), ETA 40s');
  });

  it('without a terminal prints a plain line at most every interval, with step, loss, throughput and ETA', () => {
    let clock = 0;
    const stream = recorder(false);
    const printed: string[] = [];
    const progress = new TrainingProgress({ mode: 'lines', stream, print: (l) => printed.push(l), intervalSeconds: 10, now: () => clock });
    const hooks = progress.hooks();
    hooks.onStart(plan);
    // 2 steps per second, so 50 steps take 25 s: lines at 0.5 s (the first step), 10.5 s, 20.5 s.
    for (let step = 1; step <= 50; step++) {
      clock = step * 0.5;
      hooks.onStep(step, step % 10 === 0 ? { cost: 1 / step, acc: 0.5 } : undefined);
    }
    const lines = stream.text.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('graphc: step 1/100');
    expect(lines[2]).toMatch(/^graphc: step 41\/100, loss 0\.0250, 2\.00 steps\/s \(100 examples\/s\), ETA 30s$/);
    // An evaluation of 10 batches at 1 s each: its time joins the ETA of the later evaluation.
    for (let done = 1; done <= 10; done++) {
      clock = 25 + done;
      hooks.onEvalBatch(done, 10);
    }
    expect(stream.text.trim().split('\n').at(-1)).toMatch(/^graphc: evaluating at step 51, ETA \d+s: \d+\/10 test batches$/);
    hooks.print('step 50, …');
    expect(printed).toEqual(['step 50, …']);
    clock = 36;
    hooks.onStep(51, { cost: 0.01, acc: 1 });
    // The rate before the evaluation stands; 49 steps at 2/s, and one more evaluation of 10 batches at
    // 0.95 s (the evaluation is taken to start one step, 0.5 s, after step 50's hook).
    expect(progress.describe()).toBe('step 51/100, loss 0.0100, 2.00 steps/s (100 examples/s), ETA 34s');
  });

  it('on a terminal draws a bar on stderr and clears it before an evaluation line', () => {
    let clock = 0;
    const stream = recorder(true);
    const printed: string[] = [];
    const progress = new TrainingProgress({ mode: 'bar', stream, print: (l) => printed.push(l), now: () => clock });
    const hooks = progress.hooks();
    hooks.onStart(plan);
    for (let step = 1; step <= 3; step++) {
      clock = step;
      hooks.onStep(step, { cost: 0.5, acc: 0.1 });
    }
    expect(stream.text).toContain('train [');
    expect(stream.text).toMatch(/\d\/100 steps \| loss 0\.5000/);
    hooks.onEvalBatch(1, 10);
    expect(stream.text).toContain('test  [');
    hooks.print('step 3, done');
    expect(printed).toEqual(['step 3, done']);
    progress.stop();
  });

  it("'off' writes nothing but still passes evaluation lines through", () => {
    const stream = recorder(false);
    const printed: string[] = [];
    const hooks = new TrainingProgress({ mode: 'off', stream, print: (l) => printed.push(l) }).hooks();
    hooks.onStart(plan);
    hooks.onStep(1, { cost: 1, acc: 0 });
    hooks.print('line');
    expect(stream.text).toBe('');
    expect(printed).toEqual(['line']);
  });
});
