import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/tools/bench/stats.js';
import { timePhases, type TimingPhase, type TimingPlan } from '../../../src/tools/bench/timing.js';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

const plan: Omit<TimingPlan, 'clock'> = { warmup: 2, steps: 3, evalBatches: 2, batchSize: 1, evalBatchSize: 1 };

describe('timePhases', () => {
  it('runs the warm-up untimed, then times each step and each evaluation batch, reporting progress', async () => {
    const calls: string[] = [];
    const progress: [TimingPhase, number, number][] = [];
    const times = await timePhases(
      { trainStep: () => void calls.push('train'), evalBatch: () => void calls.push('eval') },
      { ...plan, clock: 'wall' },
      (phase, done, total) => progress.push([phase, done, total]),
    );
    expect(calls).toEqual(['train', 'train', 'eval', 'train', 'train', 'train', 'eval', 'eval']);
    expect(times.train).toHaveLength(3);
    expect(times.eval).toHaveLength(2);
    expect(progress.at(0)).toEqual(['warm-up', 0, 2]);
    expect(progress.filter(([phase]) => phase === 'train').at(-1)).toEqual(['train', 3, 3]);
  });

  it('the wall clock counts waiting; the cpu clock counts only work done by this process', async () => {
    const model = { trainStep: () => busy(30), evalBatch: () => sleep(30) };
    const wall = await timePhases(model, { ...plan, warmup: 0, clock: 'wall' });
    const cpu = await timePhases(model, { ...plan, warmup: 0, clock: 'cpu' });
    const median = (values: readonly number[]): number => summarize(values).median;
    // Timers may fire a little early by performance.now()'s reckoning.
    for (const t of [...wall.train, ...wall.eval]) expect(t).toBeGreaterThanOrEqual(25);
    // Busy-waiting 30 ms of wall time uses at most about 30 ms of CPU (less if the machine is shared;
    // other threads of the process, such as the garbage collector's, may add a little); sleeping next to none.
    expect(median(cpu.train)).toBeLessThanOrEqual(45);
    expect(median(cpu.train)).toBeGreaterThan(1);
    expect(median(cpu.eval)).toBeLessThan(10);
  });
});
