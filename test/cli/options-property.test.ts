/**
 * Property: whatever a user types as options to graphc run, bench and eval —
 * alone or in combination, in range or not — the answer is a finished
 * command (exit 0) or catalogue diagnostics (exit 1, `error GCnnn:`), never
 * an internal error, a stack trace or a hang. Small models and tiny step
 * counts keep each case to seconds; OPTIONS_RUNS and OPTIONS_SEED vary it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

const RUNS = Number(process.env['OPTIONS_RUNS'] ?? 8);
const SEED = Number(process.env['OPTIONS_SEED'] ?? 20261129);
/** Past this a case is a hang. Generous: the CI machine is small and shared. */
const BOUND_MS = 120_000;

let root: string;
const places: Record<string, () => string> = {
  fresh: () => join(mkdtempSync(join(root, 'out-')), 'run'),
  file: () => join(root, 'a-file'),
  unwritable: () => '/proc/graphc-options',
  holdsRun: () => join(root, 'holds-run'),
  missing: () => join(root, 'no', 'such', 'folder'),
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'graphc-options-'));
  writeFileSync(join(root, 'a-file'), 'not a folder');
  mkdirSync(join(root, 'holds-run'));
  // A checkpoint that is not one: refused as a run to replace, and as one to resume (GC707).
  writeFileSync(join(root, 'holds-run', 'checkpoint.gck'), 'not a checkpoint');
  mkdirSync(join(root, 'empty-data'));
});

const integerLike = (values: readonly (number | string)[]) => fc.constantFrom(...values.map(String));

/** Options every command shares, each maybe absent. */
const common = {
  backend: fc.constantFrom('wasm', 'cpu', 'nosuch'),
  batchSize: integerLike([0, 1, 3, 10, 10000, 10001, 55000, 55001, 10 ** 9, -5, '1.5', 'ten']),
  set: fc.array(fc.constantFrom('hidden_size=2', 'hidden_size=0', 'hidden_size=-3', 'hidden_size=abc', 'hidden_size=3000000', 'layer_num=0', 'layer_num=2', 'cell_type=lstm', 'cell_type=nosuch', 'nosuch=1', 'lr=-1', '=3', 'hidden_size'), { maxLength: 2 }),
  seed: integerLike([0, 7, -1, 4294967296, 'x']),
  dataDir: fc.constantFrom('missing', 'empty'),
};

const runOptions = fc.record(
  {
    ...common,
    steps: integerLike([0, 1, 2, -1, 'x', '99999999999999999999']),
    evalEvery: integerLike([0, 1, 2, 'x']),
    evalBatches: integerLike([0, 1, 2, 'x']),
    workers: integerLike([0, 1, 2, 3, 64, 'x']),
    out: fc.constantFrom('none', 'fresh', 'file', 'unwritable', 'holdsRun', 'missing'),
    resume: fc.constantFrom('holdsRun', 'missing', 'file'),
    overwrite: fc.constant(true),
  },
  { requiredKeys: ['out', 'steps'] },
);

const benchOptions = fc.record(
  {
  ...common,
  steps: integerLike([0, 1, 2, 'x']),
  evalBatches: integerLike([0, 1, 2, 'x']),
  warmup: integerLike([0, 1, -1, 'x']),
  workers: integerLike([0, 1, 2, 64, 'x']),
  clock: fc.constantFrom('wall', 'cpu', 'sundial'),
  },
  // Absent, bench times 500 steps and 100 test batches: too long for a test.
  { requiredKeys: ['steps', 'evalBatches'] },
);

const evalOptions = fc.record({ backend: common.backend, batchSize: common.batchSize, dataDir: common.dataDir, dir: fc.constantFrom('holdsRun', 'missing', 'file', 'fresh') });

type Options = Partial<Record<string, string | string[] | boolean>>;

function dataDir(which: string): string {
  return which === 'empty' ? join(root, 'empty-data') : join(root, 'no-data-here');
}

function flags(o: Options): string[] {
  const args: string[] = [];
  const put = (flag: string, value: unknown): void => {
    if (value !== undefined) args.push(flag, String(value));
  };
  put('--backend', o['backend']);
  put('--steps', o['steps']);
  put('--batch-size', o['batchSize']);
  put('--eval-every', o['evalEvery']);
  put('--eval-batches', o['evalBatches']);
  put('--warmup', o['warmup']);
  put('--workers', o['workers']);
  put('--seed', o['seed']);
  put('--clock', o['clock']);
  if (o['dataDir'] !== undefined) put('--data-dir', dataDir(o['dataDir'] as string));
  for (const s of (o['set'] as string[] | undefined) ?? []) args.push('--set', s);
  return args;
}

/** The small model every case starts from: a 1-layer GRU of 4 units (a case's --set comes after and may change it). */
const SMALL = ['--set', 'hidden_size=4', '--set', 'layer_num=1'];

function runArgs(o: Options): string[] {
  const args = ['run'];
  if (o['resume'] !== undefined) args.push('--resume', places[o['resume'] as string]!());
  else args.push('graphs/gru.yaml', ...SMALL);
  args.push(...flags(o), '--no-progress');
  if (o['overwrite'] === true) args.push('--overwrite');
  if (o['out'] === 'none') args.push('--no-out');
  else args.push('--out', places[o['out'] as string]!());
  return args;
}

function benchArgs(o: Options): string[] {
  return ['bench', 'graphs/gru.yaml', ...SMALL, ...flags(o)];
}

function evalArgs(o: Options): string[] {
  return ['eval', places[o['dir'] as string]!(), ...flags(o), '--no-progress'];
}

function answer(args: readonly string[]): void {
  const r = spawnSync(process.execPath, ['bin/graphc.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: BOUND_MS, killSignal: 'SIGKILL' });
  const shown = `graphc ${args.join(' ')}\nexit ${String(r.status)} ${String(r.signal)}\n${r.stderr}`;
  expect(r.signal, `a hang past ${BOUND_MS / 1000} s: ${shown}`).toBeNull();
  expect([0, 1], shown).toContain(r.status);
  if (r.status === 1) expect(r.stderr, shown).toMatch(/(^|\n)(\S+: )?error GC\d{3}: /);
  expect(r.stderr, shown).not.toContain('internal error');
  expect(r.stderr + r.stdout, shown).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
}

describe('run, bench and eval options, typed as a user would', () => {
  const property = (options: fc.Arbitrary<Options>, args: (o: Options) => string[]) => fc.property(options, (o) => answer(args(o)));
  const settings = { numRuns: RUNS, seed: SEED, endOnFailure: true };

  it(`graphc run answers with a run or diagnostics (${RUNS} cases)`, () => {
    fc.assert(property(runOptions as fc.Arbitrary<Options>, runArgs), settings);
  }, RUNS * BOUND_MS);

  it(`graphc bench answers with timings or diagnostics (${Math.ceil(RUNS / 2)} cases)`, () => {
    fc.assert(property(benchOptions as fc.Arbitrary<Options>, benchArgs), { ...settings, numRuns: Math.ceil(RUNS / 2) });
  }, RUNS * BOUND_MS);

  it(`graphc eval answers with metrics or diagnostics (${Math.ceil(RUNS / 2)} cases)`, () => {
    fc.assert(property(evalOptions as fc.Arbitrary<Options>, evalArgs), { ...settings, numRuns: Math.ceil(RUNS / 2) });
  }, RUNS * BOUND_MS);
});
