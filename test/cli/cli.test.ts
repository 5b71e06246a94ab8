/** The command line as users meet it: exit codes, messages without stack traces, help with examples. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphc, graphcEach } from '../helpers/cli.js';
import { buildProgram } from '../../src/cli/main.js';


describe('graphc CLI', () => {
  it('compile --out-dir writes the committed generated/bigru.ts, but for the spec named from its own folder', () => {
    const out = mkdtempSync(join(tmpdir(), 'graphc-out-'));
    const r = graphc('compile', 'graphs/bigru.yaml', '--out-dir', out);
    expect(r.status, r.stderr).toBe(0);
    const fromOut = relative(out, resolve('graphs/bigru.yaml')).split(sep).join('/');
    expect(readFileSync(join(out, 'bigru.ts'), 'utf8')).toBe(
      readFileSync('generated/bigru.ts', 'utf8').replace("path: '../graphs/bigru.yaml'", `path: '${fromOut}'`).replace('from ../graphs/bigru.yaml (', `from ${fromOut} (`),
    );
  });

  it('check reports file:line:col with a code frame, exits 1, and prints no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-bad-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, readFileSync('graphs/bigru.yaml', 'utf8').replace('inputs: [X_input]', 'inputs: [X_inptu]'));
    const r = graphc('check', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.\\/]/g, '\\$&')}:\\d+:\\d+: error GC401: 'X_inptu' is not a node or placeholder \\(did you mean 'X_input'\\?\\)`));
    expect(r.stderr).toMatch(/\|\s+\^+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('check --format json prints the diagnostics as data', () => {
    const spec = 'test/common/diagnostics/cases/unused-placeholder/spec.yaml';
    const r = graphc('check', spec, '--format', 'json');
    expect(r.status).toBe(0);
    const diagnostics = JSON.parse(r.stdout) as { file: string; line: number; col: number; severity: string; code: string; message: string }[];
    expect(diagnostics).toEqual([{ file: spec, line: 10, col: 3, severity: 'warning', code: 'GC405', message: "placeholder 'step' is fed but no node uses it (add `unused: true` to it if that is intended)" }]);
  });

  it('the reference spec checks clean: its batch_size placeholder is marked unused', () => {
    const r = graphc('check', 'graphs/bigru.yaml', '--format', 'json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('a missing spec is a GC100 error, not a crash', () => {
    const r = graphc('check', 'graphs/nope.yaml');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('graphs/nope.yaml: error GC100: cannot read the spec: no such file');
  });

  it('a bad option value names the option', () => {
    const r = graphc('run', 'graphs/bigru.yaml', '--steps', 'ten');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error GC715: option '--steps <n>' argument 'ten' is invalid. --steps takes a positive integer, got 'ten'");
  });

  it('a bad --set is reported before anything runs', () => {
    const r = graphc('run', 'graphs/bigru.yaml', '--set', 'hidden_sise=32');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error GC304: --set names no param 'hidden_sise' (did you mean 'hidden_size'?)");
  });

  it('every command has --help with an example', () => {
    const commands = buildProgram().commands.map((c) => c.name());
    // One child answers them all (graphc started once, not once per command), as bin/graphc.js would each.
    const answers = graphcEach(commands.map((command) => [command, '--help']));
    expect(answers).toHaveLength(commands.length);
    for (const [i, command] of commands.entries()) {
      const r = answers[i]!;
      expect(r.status, command).toBe(0);
      expect(r.stdout, command).toMatch(/Examples:\n\s+\$ graphc /);
    }
    // And one as its own process, as users type it: the same help, exit code 0.
    const alone = graphc(commands[0]!, '--help');
    expect(alone.status).toBe(0);
    expect(alone.stdout).toBe(answers[0]!.stdout);
  });

  it("run trains a small variant and prints the reference notebook's log line after each evaluation", () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-run-')), 'run');
    const r = graphc('run', 'graphs/bigru.yaml', '--backend', 'wasm', '--steps', '4', '--eval-every', '2', '--eval-batches', '1', '--set', 'hidden_size=8', '--set', 'layer_num=1', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const [i, line] of lines.entries()) {
      expect(line).toMatch(new RegExp(`^step ${2 * (i + 1)}, train cost=\\d+\\.\\d{6}, acc=\\d\\.\\d{6}; test cost=\\d+\\.\\d{6}, acc=\\d\\.\\d{6}; pass \\d+\\.\\d{3}s$`));
    }
    expect(r.stderr).toContain('graphc: backend wasm on');
    for (const file of ['metrics.jsonl', 'summary.json', 'curves.svg', 'checkpoint.gck']) expect(existsSync(join(out, file)), file).toBe(true);
  });

  it("run trains a model whose batch is tiny in one thread unless --workers asks for more (Iris: 280 B per example)", () => {
    const run = (...extra: string[]) => graphc('run', 'graphs/iris.yaml', '--backend', 'wasm', '--steps', '2', '--eval-every', '2', '--no-out', ...extra);
    const [byDefault, asked] = [run(), run('--workers', '2')];
    expect(byDefault.status, byDefault.stderr).toBe(0);
    expect(byDefault.stderr).not.toContain('worker threads');
    expect(asked.stderr).toContain('graphc: 2 worker threads, each batch split 2 ways');
  });

  it('run --workers 2 splits each batch across two threads and prints the lines of --workers 1', () => {
    // Each run in a folder of its own, not the checkout's runs/ (where a run of another test file could take the same name).
    const run = (workers: string) =>
      graphc('run', 'graphs/bigru.yaml', '--backend', 'wasm', '--steps', '4', '--eval-every', '2', '--eval-batches', '1', '--set', 'hidden_size=8', '--set', 'layer_num=1', '--workers', workers, '--out', join(mkdtempSync(join(tmpdir(), 'graphc-workers-')), 'run'));
    const [one, two] = [run('1'), run('2')];
    expect(two.status, two.stderr).toBe(0);
    expect(two.stderr).toContain('graphc: 2 worker threads, each batch split 2 ways');
    expect(one.stderr).not.toContain('worker threads');
    // The same numbers up to float rounding (printed to 6 decimals, so allow one unit in the last place).
    const metrics = (stdout: string): number[] => [...stdout.replace(/pass [\d.]+s/g, '').matchAll(/=(\d+\.\d+)/g)].map((m) => Number(m[1]));
    expect(metrics(two.stdout)).toHaveLength(8);
    metrics(two.stdout).forEach((v, i) => expect(Math.abs(v - metrics(one.stdout)[i]!)).toBeLessThanOrEqual(1.5e-6));
  });

  it('run of a module that does not exist is GC702', () => {
    const r = graphc('run', 'generated/none.ts');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error GC702: no module at generated/none.ts');
  });

  it('an out-dir that cannot be created is GC706, and nothing else is touched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-blocked-'));
    writeFileSync(join(dir, 'file'), 'not a folder');
    const r = graphc('compile', 'graphs/bigru.yaml', '--out-dir', join(dir, 'file', 'sub'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error GC706: cannot write ${join(dir, 'file', 'sub', 'bigru.ts')}`);
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('not a folder');
  });
});
