/**
 * A generated module belongs to the spec it was compiled from (issue 30): a
 * spec of the same name from another folder never silently replaces it.
 * Each test works in a project of its own: a temporary folder with Iris's
 * spec, its committed module and its data, and an experiment folder beside it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trialArguments } from '../../src/runtime/trial_protocol.js';

const GRAPHC = resolve('bin/graphc.js');
const IRIS = readFileSync('graphs/iris.yaml', 'utf8');
const MODULE = readFileSync('generated/iris.ts', 'utf8');
const QUICK = ['--steps', '10', '--eval-every', '10', '--backend', 'cpu', '--no-progress'];

/** A project (graphs/iris.yaml, generated/iris.ts, data/iris/) and experiment folders beside it, each with an Iris spec of another hidden size. */
function workspace(experiments: Record<string, number> = { exp: 12 }): { root: string; project: string } {
  const root = mkdtempSync(join(tmpdir(), 'graphc-modules-'));
  const project = join(root, 'proj');
  for (const dir of [project, ...Object.keys(experiments).map((e) => join(root, e))]) {
    mkdirSync(join(dir, 'graphs'), { recursive: true });
    cpSync('data/iris', join(dir, 'data', 'iris'), { recursive: true });
  }
  writeFileSync(join(project, 'graphs', 'iris.yaml'), IRIS);
  mkdirSync(join(project, 'generated'));
  writeFileSync(join(project, 'generated', 'iris.ts'), MODULE);
  for (const [name, hidden] of Object.entries(experiments)) writeFileSync(join(root, name, 'graphs', 'iris.yaml'), IRIS.replace('hidden: 16', `hidden: ${hidden}`));
  return { root, project };
}

function graphcIn(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [GRAPHC, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function summaryParams(dir: string): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { params: Record<string, unknown> }).params;
}

describe('a module records its spec, and another spec does not replace it', () => {
  it("the new user's walk: a spec of the same name from another folder is refused at generated/, runs with a module of its own, and the project's module is unchanged byte for byte", () => {
    const { project } = workspace();
    const module = join(project, 'generated', 'iris.ts');

    const compiled = graphcIn(project, 'compile', '../exp/graphs/iris.yaml');
    expect(compiled.status).toBe(1);
    // Located at the spec's name:, naming the other spec and both ways out.
    expect(compiled.stderr).toContain(
      "../exp/graphs/iris.yaml:7:1: error GC716: generated/iris.ts holds the module of another spec, graphs/iris.yaml; compiling ../exp/graphs/iris.yaml there would replace it. Write this spec's module elsewhere with --out-dir DIR, or replace that one with --overwrite",
    );
    expect(compiled.stderr).toMatch(/7 \| name: iris\n\s+\| \^\^\^\^/);
    expect(readFileSync(module, 'utf8')).toBe(MODULE);

    // Asked to compile into generated/, run refuses the same way, before training.
    const into = graphcIn(project, 'run', '../exp/graphs/iris.yaml', '--out-dir', 'generated', '--no-out', ...QUICK);
    expect(into.status).toBe(1);
    expect(into.stderr).toContain('error GC716: generated/iris.ts holds the module of another spec, graphs/iris.yaml');
    expect(into.stderr).not.toContain('trained to step');

    // The walk itself: it trains, with a module where nothing of the project's is.
    const run = graphcIn(project, 'run', '../exp/graphs/iris.yaml', '--out', 'runs/exp', ...QUICK);
    expect(run.status, run.stderr).toBe(0);
    expect(summaryParams(join(project, 'runs', 'exp'))).toMatchObject({ hidden: 12 });
    expect(readFileSync(module, 'utf8')).toBe(MODULE);
    expect(readdirSync(join(project, 'generated'))).toEqual(['iris.ts']);
    const [variant] = readdirSync(join(project, '.graphc', 'variants'));
    const text = readFileSync(join(project, '.graphc', 'variants', variant!), 'utf8');
    // The module names its spec from its own folder: no absolute path of this machine.
    expect(text).toContain("export const spec = { path: '../../../exp/graphs/iris.yaml', sha256: '");
    expect(text).not.toContain(project.slice(0, project.lastIndexOf('proj')));

    // `graphc run` with no argument runs the module compiled last: the experiment's.
    const again = graphcIn(project, 'run', '--out', 'runs/last', ...QUICK);
    expect(again.status, again.stderr).toBe(0);
    expect(summaryParams(join(project, 'runs', 'last'))).toMatchObject({ hidden: 12 });

    // --overwrite replaces it, saying whose module it was.
    const overwritten = graphcIn(project, 'compile', '../exp/graphs/iris.yaml', '--overwrite');
    expect(overwritten.status, overwritten.stderr).toBe(0);
    expect(overwritten.stderr).toContain('graphc: replaced generated/iris.ts (--overwrite: it was the module of graphs/iris.yaml)');
    expect(readFileSync(module, 'utf8')).toContain('hidden: 12');
  });

  it('a second spec of the same name inside the project is refused too; a file graphc did not write is never replaced', () => {
    const { project } = workspace({});
    mkdirSync(join(project, 'other'));
    writeFileSync(join(project, 'other', 'iris.yaml'), IRIS.replace('hidden: 16', 'hidden: 8'));
    const r = graphcIn(project, 'compile', 'other/iris.yaml');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('other/iris.yaml:7:1: error GC716: generated/iris.ts holds the module of another spec, graphs/iris.yaml; compiling other/iris.yaml there');
    writeFileSync(join(project, 'generated', 'iris.ts'), 'export const mine = 1;\n');
    const own = graphcIn(project, 'compile', 'graphs/iris.yaml');
    expect(own.status).toBe(1);
    expect(own.stderr).toContain('error GC716: generated/iris.ts holds a file that graphc did not generate; compiling graphs/iris.yaml there would replace it');
    expect(readFileSync(join(project, 'generated', 'iris.ts'), 'utf8')).toBe('export const mine = 1;\n');
  });

  it('the same spec, changed or not, is compiled again over its module, with one line saying so', () => {
    const { project } = workspace({});
    const spec = join(project, 'graphs', 'iris.yaml');
    const module = join(project, 'generated', 'iris.ts');
    const same = graphcIn(project, 'compile', 'graphs/iris.yaml');
    expect(same.status, same.stderr).toBe(0);
    expect(same.stderr).toBe('graphc: up to date: generated/iris.ts\n');
    writeFileSync(spec, IRIS.replace('hidden: 16', 'hidden: 20'));
    const changed = graphcIn(project, 'compile', 'graphs/iris.yaml');
    expect(changed.status, changed.stderr).toBe(0);
    expect(changed.stderr).toBe('graphc: replaced generated/iris.ts (graphs/iris.yaml changed since it was compiled)\n');
    expect(readFileSync(module, 'utf8')).toContain('hidden: 20');
    // A run of the changed spec replaces it the same way, and says so once.
    writeFileSync(spec, IRIS.replace('hidden: 16', 'hidden: 24'));
    const run = graphcIn(project, 'run', 'graphs/iris.yaml', '--no-out', ...QUICK);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr.match(/replaced generated\/iris\.ts \(graphs\/iris\.yaml changed since it was compiled\)/g)).toHaveLength(1);
    expect(readFileSync(module, 'utf8')).toContain('hidden: 24');
  });

  it('two specs of one name in two folders each run with their own module, and the project keeps its own', () => {
    const { project } = workspace({ a: 8, b: 12 });
    for (const [folder, hidden] of [['a', 8], ['b', 12], ['a', 8]] as const) {
      const r = graphcIn(project, 'run', `../${folder}/graphs/iris.yaml`, '--out', `runs/${folder}-${hidden}`, '--overwrite', ...QUICK);
      expect(r.status, r.stderr).toBe(0);
      expect(summaryParams(join(project, 'runs', `${folder}-${hidden}`))).toMatchObject({ hidden });
    }
    expect(readdirSync(join(project, '.graphc', 'variants')).filter((f) => f.endsWith('.ts'))).toHaveLength(2);
    const own = graphcIn(project, 'run', 'graphs/iris.yaml', '--out', 'runs/own', ...QUICK);
    expect(own.status, own.stderr).toBe(0);
    expect(summaryParams(join(project, 'runs', 'own'))).toMatchObject({ hidden: 16 });
    expect(readFileSync(join(project, 'generated', 'iris.ts'), 'utf8')).toBe(MODULE);
  });

  it("sweeps (and graphc worker, which runs trials the same way) never touch the project's generated/", () => {
    const { project } = workspace({});
    // A sweep trains a copy of the spec in its folder: here the data paths are absolute, so that the copy finds them.
    writeFileSync(join(project, 'graphs', 'iris.yaml'), IRIS.replace(/\.\.\/data\/iris\//g, `${join(project, 'data', 'iris')}/`));
    graphcIn(project, 'compile', 'graphs/iris.yaml');
    const module = readFileSync(join(project, 'generated', 'iris.ts'), 'utf8');
    // No --grid: the trials compile the sweep's copy of the spec with no --set, which once went to generated/.
    const r = graphcIn(project, 'sweep', 'graphs/iris.yaml', '--repeat', '2', '--parallel', '1', '--steps', '10', '--eval-every', '10', '--backend', 'cpu');
    expect(r.status, r.stderr).toBe(0);
    const grid = graphcIn(project, 'sweep', 'graphs/iris.yaml', '--grid', 'hidden=4,8', '--parallel', '1', '--steps', '10', '--eval-every', '10', '--backend', 'cpu');
    expect(grid.status, grid.stderr).toBe(0);
    expect(readdirSync(join(project, 'generated'))).toEqual(['iris.ts']);
    expect(readFileSync(join(project, 'generated', 'iris.ts'), 'utf8')).toBe(module);
    // A queue worker's trial, fresh or resumed, is told where its module goes: its own run folder.
    const trial = { spec: 'sweeps/s/spec.yaml', overrides: [], seed: 1, schedule: {}, out: join(project, 'sweeps', 's', 'trials', 't1') };
    expect(trialArguments(trial)).toEqual(expect.arrayContaining(['--out-dir', trial.out]));
  });
});
