/**
 * The GEMM planner (src/runtime/kernels/wasm/simd/gemm_plan.ts) with an
 * injected clock: what is tested is the choice, not the machine's speed. It
 * picks the variant whose median time was least, keeps the choice in its
 * cache file per CPU model, reads it back without timing again, and ignores a
 * corrupt, stale or foreign file with a note (GC880); a file it cannot write
 * is a note too (GC881), and GRAPHC_GEMM_VARIANT naming no variant an error
 * (GC882).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphcError } from '../../../../../src/common/diagnostics/diagnostic.js';
import { DEFAULT_GEMM_VARIANT, GEMM_VARIANTS } from '../../../../../src/runtime/kernels/wasm/simd/gemm.variants.js';
import { nodePlatform } from '../../../../../src/runtime/platform/node.js';
import { browserPlatform } from '../../../../../src/runtime/platform/browser.js';
import { usePlatform } from '../../../../../src/runtime/platform/platform.js';
import {
  defaultPlanPath,
  fastest,
  forcedVariant,
  GemmPlanner,
  MIN_PLANNED_VOLUME,
  shapeClass,
  VARIANT_ENV,
  type PlannerOptions,
  type Trial,
} from '../../../../../src/runtime/kernels/wasm/simd/gemm_plan.js';

// The plan file is read and written through the platform's files, as under `graphc run` (backends.ts installs Node's side).
usePlatform(nodePlatform);

const dir = mkdtempSync(join(tmpdir(), 'graphc-gemm-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = (): string => join(dir, `plan-${files++}.json`);

const CPU = 'Test CPU @ 1.00GHz (2 cores)';
const MODULE = 'abcdef0123456789';

/**
 * A fake machine: each variant's product takes cost[variant] ms of the
 * injected clock, except that the listed slow samples (by call number) take
 * 100 ms more, as a busy moment of a shared machine would.
 */
function fakeMachine(cost: Record<string, number>, slowCalls: ReadonlySet<number> = new Set()) {
  let now = 0;
  let calls = 0;
  let trials = 0;
  const ran: string[] = [];
  const trial = (): Trial => {
    trials++;
    return {
      run: (variant) => {
        ran.push(variant);
        now += cost[variant]! + (slowCalls.has(calls++) ? 100 : 0);
      },
      dispose: () => undefined,
    };
  };
  return { clock: () => now, trial, ran, trials: () => trials };
}

function planner(options: Partial<PlannerOptions> & { notes?: string[] }): GemmPlanner {
  const notes = options.notes ?? [];
  return new GemmPlanner({ module: MODULE, cpu: CPU, note: (line) => notes.push(line), rounds: 3, sampleMs: 0, ...options });
}

const NAMES = GEMM_VARIANTS.map((v) => v.name);
// 100 × 256 × 512: the recurrent product of the Bi-GRU step, well over MIN_PLANNED_VOLUME.
const [M, K, N] = [100, 256, 512];

describe('the choice', () => {
  it('is the variant with the least median time among those timed, wherever it is listed, and a slow sample does not change it', () => {
    const cost = Object.fromEntries(NAMES.map((name, i) => [name, 10 + i]));
    const last = NAMES[NAMES.length - 1]!;
    cost[last] = 5; // the fastest is listed last
    // Calls 0…7 are the warm-up of each variant; the first timed sample of the fastest is call 8 + 7.
    const machine = fakeMachine(cost, new Set([NAMES.length + NAMES.length - 1]));
    const p = planner({ file: null, clock: machine.clock });
    expect(p.variantFor(M, K, N, machine.trial)).toBe(last);
    // Every variant was timed: once to warm up, then three samples.
    for (const name of NAMES) expect(machine.ran.filter((v) => v === name)).toHaveLength(4);
    const entry = p.plan()[shapeClass(M, K, N)]!;
    expect(entry.variant).toBe(last);
    expect(Object.keys(entry.gflops).sort()).toEqual([...NAMES].sort());
    expect(entry.gflops[last]).toBeGreaterThan(entry.gflops[NAMES[0]!]!);
  });

  it('is timed once per shape class: another product of the class reuses it', () => {
    const cost = Object.fromEntries(NAMES.map((name) => [name, name === 'r3-k256-m96' ? 1 : 2]));
    const machine = fakeMachine(cost);
    const p = planner({ file: null, clock: machine.clock });
    expect(p.variantFor(100, 256, 512, machine.trial)).toBe('r3-k256-m96');
    expect(p.variantFor(120, 200, 300, machine.trial)).toBe('r3-k256-m96'); // same class: m128-k256-n512
    expect(machine.trials()).toBe(1);
    expect(shapeClass(120, 200, 300)).toBe('m128-k256-n512');
  });

  it('fastest() takes medians and keeps the first listed on a tie', () => {
    const times = new Map([
      ['a', [3, 3, 30]],
      ['b', [1, 50, 50]],
      ['c', [2, 3, 4]],
      ['d', [3, 2, 4]],
    ]);
    expect(fastest(times)).toBe('a'); // medians 3, 50, 3, 3
  });

  it('runs small products in the default variant without timing', () => {
    const machine = fakeMachine({});
    const p = planner({ file: null, clock: machine.clock });
    expect(8 * 8 * 8).toBeLessThan(MIN_PLANNED_VOLUME);
    expect(p.variantFor(8, 8, 8, machine.trial)).toBe(DEFAULT_GEMM_VARIANT);
    expect(machine.trials()).toBe(0);
  });

  it('runs a forced variant (GRAPHC_GEMM_VARIANT) without timing, and rejects a name that is no variant', () => {
    const machine = fakeMachine({});
    const p = planner({ file: null, clock: machine.clock, forced: 'r2-k256-m96' });
    expect(p.variantFor(M, K, N, machine.trial)).toBe('r2-k256-m96');
    expect(machine.trials()).toBe(0);
    expect(p.describe()).toBe(`variant r2-k256-m96 (${VARIANT_ENV})`);
    expect(forcedVariant({ [VARIANT_ENV]: 'r4-k256-m96-packA' })).toBe('r4-k256-m96-packA');
    expect(forcedVariant({})).toBeUndefined();
    try {
      forcedVariant({ [VARIANT_ENV]: 'fastest' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GraphcError);
      expect((error as GraphcError).diagnostics[0]!.code).toBe('GC882');
      expect((error as GraphcError).message).toContain(`GRAPHC_GEMM_VARIANT=fastest names no GEMM variant; give one of ${NAMES.join(', ')}`);
    }
  });
});

describe('the cache file', () => {
  const cost = Object.fromEntries(NAMES.map((name) => [name, name === 'r4-k512-m192' ? 1 : 3]));

  it('keeps the choice per CPU model, and a planner reading it times nothing', () => {
    const file = freshFile();
    const first = fakeMachine(cost);
    expect(planner({ file, clock: first.clock }).variantFor(M, K, N, first.trial)).toBe('r4-k512-m192');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toMatchObject({ graphc_gemm_plan: 1, module: MODULE, cpu: CPU, classes: { 'm128-k256-n512': { variant: 'r4-k512-m192' } } });
    const notes: string[] = [];
    const again = fakeMachine({});
    const p = planner({ file, clock: again.clock, notes });
    expect(p.variantFor(M, K, N, again.trial)).toBe('r4-k512-m192');
    expect(again.trials()).toBe(0);
    expect(notes).toEqual([]);
    expect(p.describe()).toBe(`variant per shape class from ${file} (r4-k512-m192 ×1; others timed on first use)`);
  });

  it('keeps the classes another process planned meanwhile', () => {
    const file = freshFile();
    const machine = fakeMachine(cost);
    const a = planner({ file, clock: machine.clock });
    const b = planner({ file, clock: machine.clock });
    a.plan();
    b.plan();
    a.variantFor(M, K, N, machine.trial);
    b.variantFor(2800, 512, 256, machine.trial);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).classes).sort()).toEqual(['m128-k256-n512', 'm4096-k512-n256']);
  });

  const ignored: Array<[what: string, text: (valid: string) => string, reason: string]> = [
    ['corrupt (not JSON)', () => '{"graphc_gemm_plan": 1, "module": "abc', 'corrupt (not JSON)'],
    ['corrupt (JSON of another shape)', () => '{"classes": [1, 2]}', 'corrupt (not a GEMM plan)'],
    ['stale (another build of the GEMM)', (valid) => valid.replace(MODULE, '0000000000000000'), "stale (made for another build of graphc's GEMM)"],
    ['from another CPU model', (valid) => valid.replace(CPU, 'Other CPU (64 cores)'), `made on another CPU (Other CPU (64 cores); this is ${CPU})`],
  ];
  for (const [what, text, reason] of ignored) {
    it(`is ignored with a note when ${what}, then timed again and rewritten`, () => {
      const file = freshFile();
      const first = fakeMachine(cost);
      planner({ file, clock: first.clock }).variantFor(M, K, N, first.trial);
      const valid = readFileSync(file, 'utf8');
      // Plan r2 in the file, so that using the file would show.
      writeFileSync(file, text(valid.replace(/"variant": "r4-k512-m192"/, '"variant": "r2-k256-m96"')));
      const notes: string[] = [];
      const machine = fakeMachine(cost);
      const p = planner({ file, clock: machine.clock, notes });
      expect(p.variantFor(M, K, N, machine.trial)).toBe('r4-k512-m192');
      expect(machine.trials()).toBe(1);
      expect(notes).toEqual([
        `graphc: warning GC880: ${file}: ignored, ${reason}; the GEMM variants are timed again on this machine and the file rewritten (it is a cache: deleting it is safe)`,
      ]);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ module: MODULE, cpu: CPU, classes: { 'm128-k256-n512': { variant: 'r4-k512-m192' } } });
    });
  }

  it('that cannot be written is a note, and the choice holds for the process', () => {
    const blocker = freshFile();
    writeFileSync(blocker, 'a file where the folder would be');
    const file = join(blocker, 'gemm-plan.json');
    const notes: string[] = [];
    const machine = fakeMachine(cost);
    const p = planner({ file, clock: machine.clock, notes });
    expect(p.variantFor(M, K, N, machine.trial)).toBe('r4-k512-m192');
    expect(p.variantFor(M, K, N, machine.trial)).toBe('r4-k512-m192');
    expect(machine.trials()).toBe(1);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(new RegExp(`^graphc: warning GC881: could not write the GEMM plan ${file}: .*; the variants chosen hold for this process only$`));
  });

  it('lives under XDG_CACHE_HOME/graphc, named by the CPU model; a side without files keeps none', () => {
    usePlatform(browserPlatform);
    expect(defaultPlanPath('AMD EPYC 7B13 (2 cores)')).toBeNull();
    usePlatform(nodePlatform);
    const was = process.env['XDG_CACHE_HOME'];
    process.env['XDG_CACHE_HOME'] = '/somewhere/cache';
    try {
      expect(defaultPlanPath('AMD EPYC 7B13 (2 cores)')).toBe('/somewhere/cache/graphc/gemm-plan-amd-epyc-7b13-2-cores.json');
    } finally {
      if (was === undefined) delete process.env['XDG_CACHE_HOME'];
      else process.env['XDG_CACHE_HOME'] = was;
    }
  });
});
