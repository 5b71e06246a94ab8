/**
 * The samplers and pruners on their own, without training: TPE prefers the
 * good region of a synthetic objective, ASHA stops and promotes by its rule,
 * the median rule stops what is below the median, the grid sampler walks the
 * grid in --grid's order.
 */
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../../src/runtime/random.js';
import { asha, rungs } from '../../../src/tools/sweep/pruners/asha.js';
import { median, medianPruner } from '../../../src/tools/sweep/pruners/median.js';
import type { PrunerSettings } from '../../../src/tools/sweep/pruners/pruner.js';
import { grid } from '../../../src/tools/sweep/samplers/grid.js';
import { random } from '../../../src/tools/sweep/samplers/random.js';
import type { Observation, SearchSpace } from '../../../src/tools/sweep/samplers/sampler.js';
import { goodCount, parzen, rank, tpe } from '../../../src/tools/sweep/samplers/tpe.js';

/** A synthetic objective with its best at lr = 1e-2 (log scale) and units = 48, choice 'b'. */
function objective(p: Observation['params']): number {
  const lr = Math.log10(p.lr as number) + 2;
  const units = ((p.units as number) - 48) / 64;
  return -(lr * lr) - units * units - (p.kind === 'b' ? 0 : 0.5);
}

const SPACE: SearchSpace = [
  { param: 'lr', distribution: { kind: 'loguniform', low: 1e-5, high: 1 } },
  { param: 'units', distribution: { kind: 'int', low: 8, high: 128 } },
  { param: 'kind', distribution: { kind: 'choice', values: ['a', 'b', 'c'] } },
];

/** Runs a sampler for n draws, each seeing the ones before (finished, with the objective's value). */
function search(sampler: typeof tpe, n: number, seed: number): Observation[] {
  const history: Observation[] = [];
  for (let i = 0; i < n; i++) {
    const params = sampler.draw(SPACE, history, i, { random: new RandomStream(seed, `draw-${i}`), mode: 'max', startup: 8 })!;
    history.push({ params, value: objective(params), step: 100, state: 'done' });
  }
  return history;
}

describe('the TPE sampler', () => {
  it('draws at random during the startup, the same draws from the same seed', () => {
    const a = search(tpe, 8, 7).map((o) => o.params);
    expect(a).toEqual(search(random, 8, 7).map((o) => o.params));
    expect(search(tpe, 8, 7).map((o) => o.params)).toEqual(a);
  });

  it('prefers the good region of a synthetic objective: its later draws beat random draws', () => {
    let tpeWins = 0;
    const seeds = [1, 2, 3, 4, 5];
    for (const seed of seeds) {
      const t = search(tpe, 40, seed).slice(20);
      const r = search(random, 40, seed).slice(20);
      const mean = (os: Observation[]): number => os.reduce((s, o) => s + o.value!, 0) / os.length;
      if (mean(t) > mean(r)) tpeWins++;
      // Its draws after modelling lie mostly near the best lr (within a decade of 1e-2).
      const near = t.filter((o) => Math.abs(Math.log10(o.params.lr as number) + 2) < 1).length;
      expect(near, `seed ${seed}`).toBeGreaterThan(t.length / 2);
    }
    expect(tpeWins).toBe(seeds.length);
    // The best choice wins more of the later draws over all seeds than chance's third.
    const kinds = seeds.flatMap((seed) => search(tpe, 40, seed).slice(20)).filter((o) => o.params.kind === 'b').length;
    expect(kinds).toBeGreaterThan((seeds.length * 20) / 3);
  });

  it('ranks finished trials above pruned ones, deeper pruned above shallower', () => {
    const o = (state: Observation['state'], step: number, value: number): Observation => ({ params: { v: value }, state, step, value });
    const ranked = rank([o('pruned', 10, 0.9), o('done', 100, 0.5), o('pruned', 30, 0.2), o('done', 100, 0.7)], 'max');
    expect(ranked.map((r) => r.params.v)).toEqual([0.7, 0.5, 0.2, 0.9]);
    expect([1, 4, 5, 8, 9].map(goodCount)).toEqual([1, 1, 2, 2, 3]);
  });

  it('has Parzen densities that integrate to about 1 over their range and peak at the points', () => {
    const p = parzen([0.2, 0.25, 0.8], 0, 1);
    let integral = 0;
    for (let x = 0.0005; x < 1; x += 0.001) integral += p.density(x) * 0.001;
    expect(integral).toBeCloseTo(1, 1);
    expect(p.density(0.22)).toBeGreaterThan(p.density(0.5));
    const stream = new RandomStream(3, 'parzen');
    for (let i = 0; i < 100; i++) expect(p.sample(stream)).toSatisfy((x: number) => x >= 0 && x <= 1);
  });
});

describe('the grid sampler', () => {
  it('walks the combinations with the last axis fastest, then has nothing left', () => {
    const space: SearchSpace = [
      { param: 'a', distribution: { kind: 'choice', values: [1, 2] } },
      { param: 'b', distribution: { kind: 'choice', values: ['x', 'y', 'z'] } },
    ];
    const draws = Array.from({ length: 7 }, (_, i) => grid.draw(space, [], i, { random: new RandomStream(1), mode: 'max', startup: 0 }));
    expect(draws).toEqual([{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 1, b: 'z' }, { a: 2, b: 'x' }, { a: 2, b: 'y' }, { a: 2, b: 'z' }, undefined]);
  });
});

const SETTINGS: PrunerSettings = { minResource: 10, reduction: 3, maxResource: 100, mode: 'max' };
const curves = (entries: Record<string, Record<number, number>>): Map<string, Map<number, number>> =>
  new Map(Object.entries(entries).map(([id, c]) => [id, new Map(Object.entries(c).map(([s, v]) => [Number(s), v]))]));

describe('the ASHA pruner', () => {
  it('puts rungs at minResource · reduction^k below the full length', () => {
    expect(rungs(SETTINGS)).toEqual([10, 30, 90]);
    expect(rungs({ ...SETTINGS, minResource: 20, maxResource: 80 })).toEqual([20, 60]);
    expect([5, 10, 29, 30, 90, 100].map((s) => asha.rungOf!(s, SETTINGS))).toEqual([undefined, 0, 0, 1, 2, 3]);
  });

  it('lets a trial go on at a rung only in the top 1/reduction of the values recorded there so far', () => {
    // The first two at a rung: ⌊n/3⌋ = 0, both stop.
    expect(asha.decide('a', 10, curves({ a: { 10: 0.5 } }), SETTINGS)).toBe('stop');
    expect(asha.decide('b', 10, curves({ a: { 10: 0.5 }, b: { 10: 0.9 } }), SETTINGS)).toBe('stop');
    // The third, the best of three: the top ⌊3/3⌋ = 1.
    expect(asha.decide('c', 10, curves({ a: { 10: 0.5 }, b: { 10: 0.4 }, c: { 10: 0.6 } }), SETTINGS)).toBe('continue');
    expect(asha.decide('c', 10, curves({ a: { 10: 0.5 }, b: { 10: 0.7 }, c: { 10: 0.6 } }), SETTINGS)).toBe('stop');
    // Between rungs, and at the full length, it does not judge.
    expect(asha.decide('a', 20, curves({ a: { 10: 0.1, 20: 0.1 }, b: { 20: 0.9 }, c: { 20: 0.9 } }), SETTINGS)).toBe('continue');
    // min mode: lower is better.
    expect(asha.decide('c', 10, curves({ a: { 10: 0.5 }, b: { 10: 0.4 }, c: { 10: 0.1 } }), { ...SETTINGS, mode: 'min' })).toBe('continue');
  });

  it('promotes a stopped trial once it is in its rung\'s top 1/reduction, higher rungs first, never one that is not', () => {
    const c = curves({ a: { 10: 0.9 }, b: { 10: 0.5 }, d: { 10: 0.2, 30: 0.8 }, e: { 10: 0.3, 30: 0.6 }, f: { 10: 0.1, 30: 0.7 } });
    // a stopped at rung 0 when it was alone; now 5 trials are there, a is the best: promotable. d is the best of 3 at rung 1: promoted first.
    expect(asha.promote(new Map([['a', 10], ['d', 30]]), c, SETTINGS)).toBe('d');
    expect(asha.promote(new Map([['a', 10]]), c, SETTINGS)).toBe('a');
    expect(asha.promote(new Map([['b', 10], ['e', 30]]), c, SETTINGS)).toBeUndefined();
  });
});

describe('the median pruner', () => {
  it('stops a trial whose best so far is below the median of the others at the same step, after the warm-up', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const c = curves({ a: { 10: 0.2, 20: 0.3 }, b: { 10: 0.5, 20: 0.6 }, c: { 10: 0.4, 20: 0.5 }, d: { 10: 0.6, 20: 0.7 } });
    expect(medianPruner.decide('a', 20, c, SETTINGS)).toBe('stop');
    expect(medianPruner.decide('d', 20, c, SETTINGS)).toBe('continue');
    // Before the warm-up, or with fewer than 3 others at the step, it does not judge.
    expect(medianPruner.decide('a', 5, curves({ a: { 5: 0 }, b: { 5: 1 }, c: { 5: 1 }, d: { 5: 1 } }), SETTINGS)).toBe('continue');
    expect(medianPruner.decide('a', 20, curves({ a: { 20: 0 }, b: { 20: 1 }, c: { 20: 1 } }), SETTINGS)).toBe('continue');
    expect(medianPruner.promote(new Map([['a', 20]]), c, SETTINGS)).toBeUndefined();
  });
});
