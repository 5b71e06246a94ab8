/** Trials from grids, random draws and repeats; ids that name exactly what a trial is; argument errors as GC760. */
import { describe, expect, it } from 'vitest';
import { expandTrials, parseGrid, parseRandom, trialId, type SweepOptions } from '../../../src/tools/sweep/definition.js';
import type { Diagnostic } from '../../../src/common/diagnostics/diagnostic.js';

const options = (over: Partial<SweepOptions> = {}): SweepOptions => ({ grid: [], random: [], samples: 0, repeat: 1, seed: 1, set: {}, schedule: {}, ...over });

describe('sweep arguments', () => {
  it('--grid NAME=V1,V2 reads values as --set does', () => {
    expect(parseGrid('hidden_size=32, 64')).toEqual({ param: 'hidden_size', values: [32, 64] });
    expect(parseGrid('cell_type=gru,block_gru')).toEqual({ param: 'cell_type', values: ['gru', 'block_gru'] });
  });

  it('a bad --grid is GC760 saying what is wrong', () => {
    for (const [arg, message] of [
      ['hidden_size', /expected NAME=V1,V2/],
      ['hidden_size=', /empty value/],
      ['hidden_size=32,,64', /empty value/],
      ['hidden_size=32,32', /lists 32 twice/],
    ] as const) {
      const d = parseGrid(arg) as Diagnostic;
      expect(d.code, arg).toBe('GC760');
      expect(d.message, arg).toMatch(message);
    }
  });

  it('--random reads the four distributions and refuses bad ones with GC760', () => {
    expect(parseRandom('lr=loguniform:1e-4:1e-2')).toEqual({ param: 'lr', distribution: { kind: 'loguniform', low: 1e-4, high: 1e-2 } });
    expect(parseRandom('layer_num=int:1:3')).toEqual({ param: 'layer_num', distribution: { kind: 'int', low: 1, high: 3 } });
    expect(parseRandom('cell_type=choice:gru|block_gru')).toEqual({ param: 'cell_type', distribution: { kind: 'choice', values: ['gru', 'block_gru'] } });
    for (const [arg, message] of [
      ['lr=gauss:0:1', /no distribution 'gauss'/],
      ['lr=uniform:1', /two numbers/],
      ['lr=uniform:2:1', /LOW below HIGH/],
      ['lr=loguniform:0:1', /LOW above 0/],
      ['layer_num=int:1:2.5', /whole numbers/],
      ['cell_type=choice:gru|', /empty value/],
      ['lr', /expected NAME=DIST/],
    ] as const) {
      const d = parseRandom(arg) as Diagnostic;
      expect(d.code, arg).toBe('GC760');
      expect(d.message, arg).toMatch(message);
    }
  });
});

describe('trials', () => {
  const grid = [
    { param: 'cell_type', values: ['gru', 'block_gru'] },
    { param: 'hidden_size', values: [32, 64] },
  ];

  it("are the grid's product times --repeat seeds", () => {
    const trials = expandTrials('spec', options({ grid, repeat: 2, seed: 5 }), '0.1.0');
    expect(trials).toHaveLength(8);
    expect(trials.map((t) => [t.params['cell_type'], t.params['hidden_size'], t.seed])).toEqual([
      ['gru', 32, 5], ['gru', 32, 6], ['gru', 64, 5], ['gru', 64, 6],
      ['block_gru', 32, 5], ['block_gru', 32, 6], ['block_gru', 64, 5], ['block_gru', 64, 6],
    ]);
    expect(trials.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(trials.map((t) => t.id)).size).toBe(8);
  });

  it('without a grid or draws: the spec alone, once per seed', () => {
    expect(expandTrials('spec', options({ repeat: 3 }), '0.1.0').map((t) => [t.params, t.seed])).toEqual([[{}, 1], [{}, 2], [{}, 3]]);
  });

  it('random draws come from --seed: the same command draws the same trials, within the bounds', () => {
    const random = [
      { param: 'lr', distribution: { kind: 'loguniform', low: 1e-4, high: 1e-2 } as const },
      { param: 'layer_num', distribution: { kind: 'int', low: 1, high: 3 } as const },
      { param: 'cell_type', distribution: { kind: 'choice', values: ['gru', 'block_gru'] } as const },
    ];
    const a = expandTrials('spec', options({ random, samples: 40, seed: 7 }), '0.1.0');
    expect(a.map((t) => t.params)).toEqual(expandTrials('spec', options({ random, samples: 40, seed: 7 }), '0.1.0').map((t) => t.params));
    expect(a.map((t) => t.params)).not.toEqual(expandTrials('spec', options({ random, samples: 40, seed: 8 }), '0.1.0').map((t) => t.params));
    for (const t of a) {
      expect(t.params['lr']).toBeGreaterThanOrEqual(1e-4);
      expect(t.params['lr']).toBeLessThanOrEqual(1e-2);
      expect([1, 2, 3]).toContain(t.params['layer_num']);
      expect(['gru', 'block_gru']).toContain(t.params['cell_type']);
    }
    expect(new Set(a.map((t) => t.params['layer_num'])).size).toBe(3);
  });

  it('a draw that repeats another trial is one trial', () => {
    const random = [{ param: 'cell_type', distribution: { kind: 'choice', values: ['gru', 'block_gru'] } as const }];
    expect(expandTrials('spec', options({ random, samples: 10 }), '0.1.0')).toHaveLength(2);
  });

  it("an id names exactly the spec text, the params, the schedule, the seed and graphc's version", () => {
    const id = trialId('spec', { a: 1, b: 'x' }, { steps: 10 }, 1, '0.1.0');
    expect(id).toMatch(/^t[0-9a-f]{20}$/);
    expect(trialId('spec', { b: 'x', a: 1 }, { steps: 10 }, 1, '0.1.0')).toBe(id);
    for (const other of [
      trialId('spec ', { a: 1, b: 'x' }, { steps: 10 }, 1, '0.1.0'),
      trialId('spec', { a: 2, b: 'x' }, { steps: 10 }, 1, '0.1.0'),
      trialId('spec', { a: 1, b: 'x' }, { steps: 11 }, 1, '0.1.0'),
      trialId('spec', { a: 1, b: 'x' }, { steps: 10 }, 2, '0.1.0'),
      trialId('spec', { a: 1, b: 'x' }, { steps: 10 }, 1, '0.2.0'),
    ]) expect(other).not.toBe(id);
  });
});
